// Keyboard shortcuts of the verdict page.  Served from /static (the CSP forbids
// inline script); the page passes its URLs in data- attributes of <body>.
(function () {
  "use strict";

  var body = document.body;
  if (!body || body.getAttribute("data-page") !== "verdict") {
    return;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function go(attribute) {
    var url = body.getAttribute(attribute);
    if (url) {
      window.location.assign(url);
    }
  }

  function press(id) {
    var button = byId(id);
    if (button && !button.disabled) {
      button.click();   // click(), not form.submit(): the button's action=... is sent with the form
    }
  }

  // A checkbox of the changes touched: send the corrected list even when it is empty.
  var given = byId("changes-given");
  var boxes = document.querySelectorAll("input.change");
  Array.prototype.forEach.call(boxes, function (box) {
    box.addEventListener("change", function () {
      if (given) {
        given.value = "1";
      }
    });
  });

  // Choosing a candidate proposes the status its evidence suggests.
  var status = byId("pair-status");
  var radios = document.querySelectorAll("input[name=target][data-key]");
  Array.prototype.forEach.call(radios, function (radio) {
    radio.addEventListener("change", function () {
      if (status) {
        status.value = radio.getAttribute("data-status") || "";
      }
    });
  });

  function pick(n) {
    var radio = document.querySelector("input[name=target][data-key='" + n + "']");
    if (!radio || radio.disabled) {
      return;
    }
    radio.checked = true;
    if (status) {
      status.value = radio.getAttribute("data-status") || "";
    }
    press("btn-pair");
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable)) {
      if (event.key === "Escape" && target.blur) {
        target.blur();
      }
      return;
    }
    var handled = true;
    switch (event.key) {
      case "j":
      case "ArrowRight":
        go("data-next");
        break;
      case "k":
      case "ArrowLeft":
        go("data-prev");
        break;
      case "c":
        press("btn-confirm");
        break;
      case "1":
      case "2":
      case "3":
        pick(event.key);
        break;
      case "d":
        press("btn-alone");
        break;
      case "n":
        var note = byId("note");
        if (note) {
          note.focus();
        }
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
    }
  });
}());
