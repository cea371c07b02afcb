// ThiDua's only script (the Content-Security-Policy allows no inline script): a <select data-autosubmit>
// submits its form when it changes; without JavaScript the form's own button does the same.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
});

// A form with data-progress (the import forms) is sent in the background so that a large file shows how far it
// is: first the upload (bytes sent), then the server's steps, which it streams as JSON lines
// {"percent": 37, "text": "…"} before a last {"status": 200, "html": "…"}: the page the plain form would have
// answered, put in place of this one. Any other answer (a refusal before the import starts) is shown as it is.
// Without JavaScript, or without XMLHttpRequest and FormData, the form is sent as usual.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form || !form.matches || !form.matches("form[data-progress]") || !window.XMLHttpRequest || !window.FormData || !window.DOMParser) { return; }
  event.preventDefault();
  var box = document.createElement("p");
  box.className = "progress";
  box.id = "import-progress";
  box.setAttribute("role", "status");
  box.setAttribute("aria-live", "polite");
  var bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  var label = document.createElement("span");
  label.textContent = "Đang gửi tệp…";
  box.appendChild(bar);
  box.appendChild(document.createTextNode(" "));
  box.appendChild(label);
  var old = document.getElementById("import-progress");
  if (old) { old.remove(); }
  form.insertAdjacentElement("afterend", box);
  var buttons = form.querySelectorAll("button[type=submit]");
  buttons.forEach(function (b) { b.disabled = true; });

  function mb(bytes) { return (bytes / 1048576).toFixed(1).replace(".", ","); }
  function show(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    window.scrollTo(0, 0);
  }
  var xhr = new XMLHttpRequest();
  var read = 0;
  var last = null;
  function lines() {
    if ((xhr.getResponseHeader("Content-Type") || "").indexOf("application/x-ndjson") !== 0) { return; }
    var text = xhr.responseText;
    var end;
    while ((end = text.indexOf("\n", read)) >= 0) {
      var line = text.slice(read, end);
      read = end + 1;
      if (!line) { continue; }
      var m;
      try { m = JSON.parse(line); } catch (e) { continue; }
      if (typeof m.html === "string") { last = m; continue; }
      if (typeof m.percent === "number") { bar.value = m.percent; }
      if (m.text) { label.textContent = m.text + " (" + (m.percent || 0) + " %)"; }
    }
  }
  xhr.open("POST", form.action);
  xhr.setRequestHeader("X-Import-Progress", "1");
  xhr.setRequestHeader("Accept", "text/html");
  xhr.upload.onprogress = function (e) {
    if (!e.lengthComputable) { return; }
    bar.value = Math.floor(100 * e.loaded / e.total);
    label.textContent = "Đang tải lên " + mb(e.loaded) + " / " + mb(e.total) + " MB";
  };
  xhr.upload.onload = function () { bar.value = 0; label.textContent = "Đã tải lên; máy chủ đang đọc tệp…"; };
  xhr.onprogress = lines;
  xhr.onload = function () {
    lines();
    if (last) { show(last.html); return; }
    show(xhr.responseText);
  };
  xhr.onerror = function () {
    label.textContent = "Mất kết nối với máy chủ: không biết tệp đã được nhập hay chưa. Hãy tải lại trang và xem Nhật ký thay đổi trước khi gửi lại.";
    buttons.forEach(function (b) { b.disabled = false; });
  };
  xhr.send(new FormData(form));
});
