// TcpModel report: replays steps the model computed (data.js). It holds no TCP of its own.
(function () {
  "use strict";
  var D = window.TCPMODEL;
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k]; else if (k === "cls") e.className = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function fmt(t) { return t.toFixed(3) + " s"; }

  // ---- endpoint panel -------------------------------------------------------------------------
  function panel(name, view, now) {
    var rows = Object.keys(view.Tcb).map(function (k) {
      return el("tr", null, [el("th", { scope: "row", text: k }), el("td", { text: view.Tcb[k] })]);
    });
    var timers = view.Timers.map(function (t) {
      var left = t.Deadline - now;
      return el("li", { text: t.Name + ": due at " + fmt(t.Deadline) + (left >= 0 ? " (in " + left.toFixed(3) + " s)" : "") });
    });
    return el("section", { cls: "endpoint", "aria-label": "TCP " + name }, [
      el("h3", { text: "TCP " + name }),
      el("p", { cls: "state", "data-testid": "state-" + name, text: view.State }),
      rows.length ? el("table", { cls: "tcb" }, [el("tbody", null, rows)]) : el("p", { cls: "muted", text: "no TCB" }),
      el("h4", { text: "Timers" }),
      timers.length ? el("ul", { cls: "timers" }, timers) : el("p", { cls: "muted", text: "none armed" })
    ]);
  }

  function stepDetails(step) {
    var parts = [el("p", { cls: "what", "data-testid": "what", text: fmt(step.Time) + " — " + step.What })];
    if (step.Note) parts.push(el("p", { cls: "note", text: step.Note }));
    if (step.Segment) parts.push(el("p", null, [el("span", { cls: "label", text: "Segment: " }),
      el("code", { "data-testid": "segment", text: step.Segment }), step.Arithmetic ? el("span", { cls: "arith", text: "  (" + step.Arithmetic + ")" }) : null]));
    if (step.Cells.length) {
      parts.push(el("h4", { text: "Cells fired" }));
      parts.push(el("ol", { cls: "cells" }, step.Cells.map(function (a) {
        var c = D.cells[a];
        return el("li", null, [
          el("a", { href: "#" + c.Anchor, text: c.From + " × " + c.Trigger + (c.Guard !== "-" ? " [" + c.Guard + "]" : "") + " → " + c.To }),
          el("span", { cls: "muted", text: "  " + c.Kind + ", effect " + c.Effect }),
          el("div", { cls: "rfc", text: c.Rfc }),
          D.quotes[c.Rfc] ? el("blockquote", { text: D.quotes[c.Rfc] }) : null
        ]);
      })));
    }
    parts.push(el("h4", { text: "Sent" }));
    parts.push(step.Sent.length ? el("ul", { cls: "sent" }, step.Sent.map(function (s) { return el("li", null, [el("code", { "data-testid": "sent", text: s })]); }))
      : el("p", { cls: "muted", text: "nothing" }));
    if (step.Notices.length) parts.push(el("p", { cls: "notice", text: "User told: " + step.Notices.join("; ") }));
    return parts;
  }

  // ---- scenarios ------------------------------------------------------------------------------
  var current = null, index = 0;
  function showScenario(id) {
    current = D.scenarios.filter(function (s) { return s.Id === id; })[0];
    index = 0;
    $("play").hidden = true; $("scenario").hidden = false;
    $("scenario-title").textContent = current.Title;
    $("scenario-summary").textContent = current.Summary;
    renderStep();
    $("next").focus();
  }
  function renderStep() {
    var step = current.Steps[index];
    $("counter").textContent = "Step " + (index + 1) + " of " + current.Steps.length;
    $("prev").disabled = index === 0; $("next").disabled = index === current.Steps.length - 1;
    var view = $("step-view"); view.innerHTML = "";
    stepDetails(step).forEach(function (p) { view.appendChild(p); });
    view.appendChild(el("h4", { text: "After this step" }));
    view.appendChild(el("div", { cls: "pair" }, [panel("A", step.A, step.Time), step.B ? panel("B", step.B, step.Time) : null]));
  }

  // ---- free play ------------------------------------------------------------------------------
  var node = null, trail = [];
  function startPlay(i) {
    var s = D.play.starts[i];
    $("scenario").hidden = true; $("play").hidden = false;
    $("play-title").textContent = "From the canonical " + s.State + " (" + (s.Path || "a new endpoint") + ")";
    trail = []; goNode(s.Node, null);
  }
  function goNode(id, step) {
    node = D.play.nodes[id];
    if (step) trail.push(step);
    var view = $("play-view"); view.innerHTML = "";
    if (step) stepDetails(step).forEach(function (p) { view.appendChild(p); });
    view.appendChild(el("h4", { text: step ? "After this step" : "The canonical endpoint" }));
    view.appendChild(el("div", { cls: "pair" }, [panel("A", node.View, step ? step.Time : 0)]));
    var menu = $("choices"); menu.innerHTML = "";
    if (!node.Choices.length) menu.appendChild(el("li", { cls: "muted", text: "the precomputed depth ends here" }));
    node.Choices.forEach(function (c) {
      var b = el("button", { type: "button", text: c.What + "  → " + D.play.nodes[c.Next].View.State });
      b.addEventListener("click", function () { goNode(c.Next, c); });
      menu.appendChild(el("li", null, [b]));
    });
    $("trail").textContent = trail.length ? trail.map(function (s) { return s.What; }).join(" → ") : "(start)";
  }

  // ---- cells filter ---------------------------------------------------------------------------
  function filterCells() {
    var q = $("cell-filter").value.toLowerCase();
    var rows = document.querySelectorAll("#cells tbody tr"), shown = 0;
    Array.prototype.forEach.call(rows, function (r) {
      var hit = r.textContent.toLowerCase().indexOf(q) >= 0; r.hidden = !hit; if (hit) shown++;
    });
    $("cell-count").textContent = shown + " of " + rows.length + " cells";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = $("scenarios");
    D.scenarios.forEach(function (s) {
      var b = el("button", { type: "button", "data-scenario": s.Id, text: s.Title });
      b.addEventListener("click", function () { showScenario(s.Id); });
      list.appendChild(el("li", null, [b]));
    });
    var sel = $("start");
    D.play.starts.forEach(function (s, i) { sel.appendChild(el("option", { value: String(i), text: s.State })); });
    $("start-go").addEventListener("click", function () { startPlay(Number(sel.value)); });
    $("prev").addEventListener("click", function () { if (index > 0) { index--; renderStep(); } });
    $("next").addEventListener("click", function () { if (index < current.Steps.length - 1) { index++; renderStep(); } });
    document.addEventListener("keydown", function (e) {
      if (!current || $("scenario").hidden || e.target.tagName === "INPUT" || e.target.tagName === "SELECT") return;
      if (e.key === "ArrowRight") $("next").click(); else if (e.key === "ArrowLeft") $("prev").click();
    });
    $("cell-filter").addEventListener("input", filterCells);
    filterCells();
    showScenario(D.scenarios[0].Id);
  });
})();
