"""Receive one uploaded workbook straight into a session folder, within a size limit.

The body is parsed as it arrives (python-multipart's streaming parser) and the file part written
to the session's own folder: no copy is spooled to the system's shared temporary directory, and
an oversized upload is cut off at the limit instead of being stored first. The file is saved
under the user's own file name (made safe), because the pipeline's messages name the file and
must read exactly as they do on the command line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from python_multipart.multipart import MultipartParseError, MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from generator.app.web.settings import MB

if TYPE_CHECKING:  # the callbacks' TypedDict exists for type checkers only
    from python_multipart.multipart import MultipartCallbacks

MAX_NAME_CHARS = 120
# Past the limit the rest of the body is read and dropped (so the browser gets the answer instead
# of a reset connection), but never more than this much more.
DRAIN_ALLOWANCE = 16 * MB


class UploadError(Exception):
    """The upload itself is unusable; ``str(exc)`` is the Chinese message for the page."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Upload:
    path: Path
    name: str
    size: int


def too_large_message(limit: int) -> str:
    return f"上传的文件过大（上限 {limit // MB} MB）：请删除无关内容后再试"


def safe_file_name(raw: str) -> str:
    """The last path component of a browser-supplied name, without anything that could mislead.

    Control and format characters (including right-to-left overrides that make "xlsx.exe" look
    like "exe.xlsx") are dropped, path separators and characters Windows forbids are replaced;
    the suffix is kept whatever the length.
    """
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(
        "_" if ch in '<>:"|?*' else ch
        for ch in name
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    ).strip().strip(".").strip()
    if not cleaned:
        return "上传的文件"
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or not stem or len(suffix) > 10:
        return cleaned[:MAX_NAME_CHARS]
    return f"{stem[:MAX_NAME_CHARS]}.{suffix}"


async def receive_upload(request: Request, folder: Path, max_bytes: int, field_name: str = "workbook") -> Upload:
    """Store the single file field ``field_name`` of a multipart form in ``folder``; other parts
    (the upload forms have none) are parsed and dropped.

    Raises UploadError (400 for a malformed or empty form, 413 for a file over ``max_bytes``).
    """
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise UploadError("请通过页面上的表单选择文件上传")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + DRAIN_ALLOWANCE:
        raise UploadError(too_large_message(max_bytes), 413)

    receiver = _Receiver(folder, max_bytes, field_name)
    over_cap = False
    try:
        parser = MultipartParser(boundary, receiver.callbacks())
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > max_bytes + DRAIN_ALLOWANCE:
                over_cap = True
                break
            parser.write(chunk)
        else:
            parser.finalize()
    except (MultipartParseError, ValueError, ClientDisconnect) as exc:
        receiver.discard()
        raise UploadError("上传的数据不完整，请重新选择文件上传") from exc
    finally:
        receiver.close()
    if receiver.too_large or over_cap:
        receiver.discard()
        raise UploadError(too_large_message(max_bytes), 413)
    if receiver.path is None:
        raise UploadError("请先选择要上传的工作簿（.xlsx 文件）")
    return Upload(receiver.path, receiver.name, receiver.size)


class _Receiver:
    """Callbacks for the streaming parser: headers per part, one file written, the rest dropped."""

    def __init__(self, folder: Path, max_bytes: int, field_name: str) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.field_name = field_name
        self.path: Path | None = None
        self.name = ""
        self.size = 0
        self.too_large = False
        self._handle: BinaryIO | None = None
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._writing = False

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda data, start, end: self._header_field.extend(data[start:end]),
            "on_header_value": lambda data, start, end: self._header_value.extend(data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers = {}
        self._writing = False

    def _header_end(self) -> None:
        self._headers[bytes(self._header_field).strip().lower()] = bytes(self._header_value).strip()
        self._header_field.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = _decode(params.get(b"name", b""))
        filename = params.get(b"filename")
        # An empty file name is the browser saying "nothing chosen"; a named empty file is a file
        # (the pipeline then says it is empty, as on the command line).
        if filename and name == self.field_name and self.path is None:
            self.name = safe_file_name(_decode(filename))
            self.path = self.folder / self.name
            self._handle = self.path.open("xb")
            self._writing = True

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if not self._writing:
            return
        self.size += end - start
        if self.size > self.max_bytes:
            self.too_large = True
            self._writing = False  # keep parsing (draining), stop writing
            self.close()
            return
        assert self._handle is not None
        self._handle.write(data[start:end])

    def _part_end(self) -> None:
        if self._writing:
            self.close()
        self._writing = False

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def discard(self) -> None:
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def _decode(raw: bytes) -> str:
    """Browsers send form names and file names as raw UTF-8 (some old ones as GBK)."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")
