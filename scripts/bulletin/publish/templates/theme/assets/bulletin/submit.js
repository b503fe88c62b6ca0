// bulletin: the 报送 page (submit.md). The clerk fills the fields; this writes the item exactly as
// `bulletin new` does: it fills bulletin new's own skeleton table (editorial/new.py SKELETON, in form.json)
// with the draft's slots, and holds no text of the skeleton itself (tests/test_cms.py checks both)
// and opens the forge's own new-file page pre-filled with it (access/forge.py's new_file_url):
// Gitea/Forgejo /_new/<branch>/<folder>?filename=&value=, GitHub /new/<branch>?filename=&value=.
// The lists, units, calls and the forge come from assets/bulletin/form.json (bulletin.yml, network.yml).
(function () {
  var form = document.getElementById("bulletin-submit");
  if (!form) return;
  // editorial/new.py _yaml_text: a value with one of YAML_SPECIALS (form.json's yamlSpecials) is quoted
  function yamlText(spec, value) {
    var plain = value && value === value.trim() && value[0] !== "-" && value[0] !== "?";
    for (var i = 0; plain && i < value.length; i++) if (spec.yamlSpecials.indexOf(value[i]) >= 0) plain = false;
    return plain ? value : '"' + value.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
  }
  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }
  // the wall-clock parts of a moment in the desk's timezone
  function local(date, tz) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour, minute: +parts.minute };
  }
  function plain(t) {
    return t.year + "-" + two(t.month) + "-" + two(t.day) + " " + two(t.hour) + ":" + two(t.minute);
  }
  function field(value) {  // datetime-local's 2026-11-28T08:30 as the desk writes it
    return value ? value.replace("T", " ") : "";
  }

  function emergencyOf(spec, kind, urgency) {
    return kind === spec.emergencyKind || urgency === spec.emergencyUrgency;
  }

  // editorial/new.py draft_slots: the slots of one draft at `now` (an empty slot is one not given)
  function draftSlots(spec, d, now) {
    var unit = d.unit;
    var today = local(now, spec.timezone);
    var minute = Math.floor(now.getTime() / 60000) * 60000;
    var calls = openCalls(spec, unit, minute);
    var answered = d.request ? spec.calls.filter(function (c) { return c.id === d.request; })[0] : null;
    var informant = d.informant || unit.informant || "";
    var approver = d.approver || unit.leader || "";
    return {
      unit: unit.id,
      unit_name: unit.name,
      title: d.title ? yamlText(spec, d.title) : "",
      informant: informant ? yamlText(spec, informant) : "",
      approver: approver ? yamlText(spec, approver) : "",
      kind: d.kind,
      urgency: d.urgency,
      classification: d.classification,
      secrecy_term: d.secrecy_term,
      occurred_at: d.occurred_at,
      emergency: emergencyOf(spec, d.kind, d.urgency) ? "yes" : "",
      recipients: (d.recipients.length ? d.recipients : spec.recipients).join(", "),
      topics: d.topics.join(", "),
      request: d.request,
      answered_topic: answered ? answered.topic : "",
      open_call: calls.length ? calls[0].id : "",
      open_call_topic: calls.length ? calls[0].topic : "",
      deadline: d.deadline,
      follows: d.follows,
      body: d.body,
      now: plain(today),
      year: String(today.year),
      date: plain(today).slice(0, 10),
    };
  }

  // editorial/new.py render and fill: the skeleton is bulletin new's own table (form.json), each line's
  // first form whose condition holds (a condition names a slot: it holds when the slot is not empty)
  function render(spec, d, now) {
    var slots = {};
    [spec.slots, draftSlots(spec, d, now)].forEach(function (part) {
      Object.keys(part).forEach(function (k) { slots[k] = part[k]; });
    });
    var pattern = new RegExp(spec.slot, "g");
    return spec.skeleton.map(function (forms) {
      var form = forms.filter(function (f) { return !f[0] || slots[f[0]]; })[0];
      return form[1].replace(pattern, function (whole, name) {
        if (typeof slots[name] !== "string") throw new Error("bulletin: slot " + name);
        return slots[name];
      });
    }).join("\n");
  }

  function openCalls(spec, unit, minute) {
    return spec.calls
      .filter(function (c) { return c.units.indexOf(unit.id) >= 0 && Date.parse(c.deadline) >= minute; })
      .sort(function (a, b) { return Date.parse(a.deadline) - Date.parse(b.deadline); });
  }

  // editorial/new.py _candidates: submissions/<unit>/<year>/<mmdd>-<nn>.md, dated by 发生时间 or today
  function pathOf(spec, d, now) {
    var when = local(now, spec.timezone);
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d.occurred_at || "");
    if (m) when = { year: +m[1], month: +m[2], day: +m[3] };
    return spec.submissions + "/" + d.unit.id + "/" + when.year + "/" + two(when.month) + two(when.day) + "-" + two(d.number) + ".md";
  }

  function newFileUrl(forge, path, value) {
    var q = encodeURIComponent;
    var cut = path.lastIndexOf("/");
    var branch = q(forge.branch);
    if (forge.kind === "gitea" || forge.kind === "forgejo") {
      var folder = path.slice(0, cut).split("/").map(q).join("/");
      return forge.url + "/" + forge.repo + "/_new/" + branch + "/" + folder +
        "?filename=" + q(path.slice(cut + 1)) + "&value=" + q(value);
    }
    return forge.url + "/" + forge.repo + "/new/" + branch + "?filename=" + q(path) + "&value=" + q(value);
  }

  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text || value;
    select.appendChild(o);
  }
  function checkboxes(holder, name, values, checked) {
    values.forEach(function (v) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = v;
      box.checked = checked.indexOf(v) >= 0;
      label.appendChild(box);
      label.appendChild(document.createTextNode(v + "　"));
      holder.appendChild(label);
    });
  }

  fetch(form.dataset.spec).then(function (r) { return r.json(); }).then(function (spec) {
    var els = form.elements;
    var byId = {};
    spec.units.forEach(function (u) { byId[u.id] = u; option(els.unit, u.id, u.name + "（" + u.id + "）"); });
    spec.kinds.forEach(function (v) { option(els.kind, v); });
    spec.urgencies.forEach(function (v) { option(els.urgency, v); });
    spec.classifications.forEach(function (v) { option(els.classification, v); });
    els.kind.value = "普遍性";
    els.urgency.value = "平件";
    els.classification.value = "内部";
    checkboxes(form.querySelector('[data-list="recipients"]'), "recipients", spec.recipients, spec.recipients);
    checkboxes(form.querySelector('[data-list="topics"]'), "topics", spec.topics, []);
    var problem = form.querySelector(".bulletin-submit-problem");
    var link = form.querySelector(".bulletin-submit-link");

    function unitChanged() {
      var unit = byId[els.unit.value];
      var list = document.getElementById("bulletin-informants");
      list.textContent = "";
      unit.informants.forEach(function (n) { option(list, n); });
      els.informant.placeholder = unit.informant || "信息员姓名";
      els.approver.placeholder = unit.leader || "签发领导姓名";
      var keep = els.request.value;
      while (els.request.options.length > 1) els.request.remove(1);
      openCalls(spec, unit, Date.now()).forEach(function (c) { option(els.request, c.id, c.id + "（" + c.topic + "）"); });
      els.request.value = keep;
      if (els.request.selectedIndex < 0) els.request.value = "";
    }
    function shown() {
      var classified = spec.classified.indexOf(els.classification.value) >= 0;
      var emergency = emergencyOf(spec, els.kind.value, els.urgency.value);
      form.querySelector('[data-when="classified"]').hidden = !classified;
      form.querySelector('[data-when="emergency"]').hidden = !emergency;
      els.occurred_at.required = emergency;
      els.secrecy_term.required = classified;
    }
    function draft() {
      var picked = function (name) {
        return Array.prototype.filter.call(form.querySelectorAll('input[name="' + name + '"]'), function (b) {
          return b.checked;
        }).map(function (b) { return b.value; });
      };
      var classified = spec.classified.indexOf(els.classification.value) >= 0;
      return {
        unit: byId[els.unit.value],
        title: els.title.value.trim(),
        informant: els.informant.value.trim(),
        approver: els.approver.value.trim(),
        kind: els.kind.value,
        urgency: els.urgency.value,
        classification: els.classification.value,
        secrecy_term: classified ? els.secrecy_term.value.trim() : "",
        occurred_at: field(els.occurred_at.value),
        recipients: picked("recipients"),
        topics: picked("topics"),
        request: els.request.value,
        deadline: field(els.deadline.value),
        follows: els.follows.value.trim(),
        number: Math.min(99, Math.max(1, parseInt(els.number.value, 10) || 1)),
        body: els.body.value.trim(),
      };
    }
    function wrong(d) {
      var emergency = emergencyOf(spec, d.kind, d.urgency);
      if (d.title.length > spec.titleMax) return "标题超过" + spec.titleMax + "字：请压缩";
      if (emergency && d.recipients.indexOf(spec.emergencyRecipient) < 0) {
        return "突发性、特急信息必须报" + spec.emergencyRecipient + "：请勾选";
      }
      if (!spec.forge) return "报送台还没有配置代码托管平台（bulletin.yml的forge一节）：请联系信息处";
      return "";
    }
    els.unit.addEventListener("change", unitChanged);
    els.classification.addEventListener("change", shown);
    els.kind.addEventListener("change", shown);
    els.urgency.addEventListener("change", shown);
    els.request.addEventListener("change", function () {
      var call = spec.calls.filter(function (c) { return c.id === els.request.value; })[0];
      if (call && !els.deadline.value) els.deadline.value = plain(local(new Date(call.deadline), spec.timezone)).replace(" ", "T");
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var d = draft();
      var message = wrong(d);
      problem.textContent = message;
      problem.hidden = !message;
      if (message) return;
      var now = new Date();
      var value = render(spec, d, now);
      var path = pathOf(spec, d, now);
      var url = newFileUrl(spec.forge, path, value);
      form.querySelector(".bulletin-submit-path").textContent = path;
      form.querySelector(".bulletin-submit-preview").textContent = value;
      link.href = url;
      link.hidden = false;
      link.focus();
    });
    unitChanged();
    shown();
    form.hidden = false;
  });
})();
