"""`budget-report send` from the command line: folders found, recipient from the workbook."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from generator.app.cli import main
from generator.deliver import EXAMPLE_CONFIG
from tests.factories import budget_data, write_budget


def test_send_dry_run_finds_department_folders_and_the_workbook_contact(tmp_path: Path) -> None:
    data = budget_data()
    data.forms["基本信息"]["contact_email"] = "kjj@example.gov.cn"
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    workbook = write_budget(inputs / "b.xlsx", data)
    out = tmp_path / "outputs"
    assert main(["build", str(workbook), "-o", str(out)]) == 0
    config = tmp_path / "mail.ini"
    config.write_text(EXAMPLE_CONFIG, encoding="utf-8")
    # The outputs root holds 汇总/校验结果 beside the department folders: only the latter are sent.
    assert main(["send", str(out), "--dry-run", "--config", str(config), "--inputs", str(inputs)]) == 0
    draft = out / "2021-测试科技局-306001" / "邮件草稿.eml"
    message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert message["To"] == "kjj@example.gov.cn"
    assert "2021年测试科技局" in str(message["Subject"])
    names = sorted(part.get_filename() or "" for part in message.iter_attachments())
    assert names == sorted(p.name for p in (out / "2021-测试科技局-306001").iterdir() if p.suffix in (".docx", ".xlsx"))
