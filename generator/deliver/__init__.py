"""Delivery of rendered outputs: PDF conversion, zip bundles and e-mail.

The CLI calls these; nothing here prints or exits. Every error meant for users carries a
Chinese message (``str(exc)``), and :func:`send_outputs` reports per department instead of
raising.
"""

from __future__ import annotations

from generator.deliver.bundle import BundleError, bundle
from generator.deliver.config import (
    DEFAULT_CONFIG_NAME,
    DEFAULT_PASSWORD_ENV,
    EXAMPLE_CONFIG,
    MailConfig,
    MailConfigError,
    load_config,
)
from generator.deliver.mailer import (
    DEFAULT_LOG_NAME,
    DeptResult,
    SendReport,
    SendStatus,
    send_outputs,
)
from generator.deliver.pdf import (
    PdfError,
    cjk_fonts_installed,
    convert_to_pdf,
    find_soffice,
    warn_if_no_cjk_fonts,
)

__all__ = [
    "DEFAULT_CONFIG_NAME",
    "DEFAULT_LOG_NAME",
    "DEFAULT_PASSWORD_ENV",
    "EXAMPLE_CONFIG",
    "BundleError",
    "DeptResult",
    "MailConfig",
    "MailConfigError",
    "PdfError",
    "SendReport",
    "SendStatus",
    "bundle",
    "cjk_fonts_installed",
    "convert_to_pdf",
    "find_soffice",
    "load_config",
    "send_outputs",
    "warn_if_no_cjk_fonts",
]
