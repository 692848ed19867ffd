// A little progressive enhancement; every page also works without it.
"use strict";

// Upload forms: the label is a drop zone, the chosen file is checked for size and sent at once.
for (const form of document.querySelectorAll("form[data-upload]")) {
  const input = form.querySelector("input[type=file]");
  const zone = form.querySelector(".drop");
  const shown = form.querySelector("[data-file-name]");
  const busy = form.querySelector("[data-busy]");
  const error = form.querySelector("[data-upload-error]");
  const button = form.querySelector("button[type=submit]");
  const maxBytes = Number(form.dataset.maxBytes);

  const fail = (message) => {
    error.textContent = message;
    error.hidden = false;
  };
  const send = () => {
    const file = input.files[0];
    if (!file) return;
    error.hidden = true;
    shown.textContent = "已选择：" + file.name;
    if (maxBytes && file.size > maxBytes) {
      fail("文件过大（上限 " + Math.round(maxBytes / 1048576) + " MB）：请删除无关内容后再试");
      return;
    }
    busy.hidden = false;
    button.disabled = true;
    form.submit();
  };
  input.addEventListener("change", send);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.files.length) {
      fail("请先选择要上传的工作簿（.xlsx 文件）");
      input.focus();
      return;
    }
    send();
  });
  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("drag");
    });
  }
  for (const type of ["dragleave", "drop"]) {
    zone.addEventListener(type, () => zone.classList.remove("drag"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    const files = new DataTransfer();
    files.items.add(event.dataTransfer.files[0]);
    input.files = files.files;
    send();
  });
}

// Forms that start work: show that something is happening and prevent a double submit.
for (const form of document.querySelectorAll("form[data-busy-form]")) {
  form.addEventListener("submit", () => {
    for (const button of form.querySelectorAll("button")) {
      // Disabled after the submit event so the clicked button's name/value is still sent.
      setTimeout(() => { button.disabled = true; }, 0);
    }
  });
}

// The build page: poll the status while the documents are generated, reload when done.
const progress = document.querySelector("[data-progress]");
if (progress) {
  const elapsed = progress.querySelector("[data-elapsed]");
  const poll = async () => {
    try {
      const response = await fetch(progress.dataset.statusUrl, { cache: "no-store" });
      const status = await response.json();
      if (status.state === "running") {
        elapsed.textContent = String(status.elapsed);
        setTimeout(poll, 1000);
      } else {
        window.location.reload();
      }
    } catch (err) {
      setTimeout(poll, 3000);
    }
  };
  setTimeout(poll, 1000);
}
