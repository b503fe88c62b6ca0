// bulletin: the 报送 page (submit.md). The clerk fills the fields; this writes the item exactly as
// `bulletin new` does (editorial/new.py's render: tests/test_cms.py compares the two in Chromium)
// and opens the forge's own new-file page pre-filled with it (access/forge.py's new_file_url):
// Gitea/Forgejo /_new/<branch>/<folder>?filename=&value=, GitHub /new/<branch>?filename=&value=.
// The lists, units, calls and the forge come from assets/bulletin/form.json (bulletin.yml, network.yml).
(function () {
  var form = document.getElementById("bulletin-submit");
  if (!form) return;
  var SPECIALS = ":#{}[],&*!|>'\"%@`";

  function yamlText(value) {
    var plain = value && value === value.trim() && value[0] !== "-" && value[0] !== "?";
    for (var i = 0; plain && i < value.length; i++) if (SPECIALS.indexOf(value[i]) >= 0) plain = false;
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

  // editorial/new.py render(), line for line
  function render(spec, d, now) {
    var PH = spec.placeholder;
    var unit = d.unit;
    var today = local(now, spec.timezone);
    var minute = Math.floor(now.getTime() / 60000) * 60000;
    var informant = d.informant || unit.informant || PH + "：信息员姓名】";
    var approver = d.approver || unit.leader || PH + "：签发领导姓名】";
    var recipients = d.recipients.length ? d.recipients : spec.recipients;
    var termLine = d.secrecy_term
      ? "保密期限: " + d.secrecy_term + "         # 秘密最长10年，机密最长20年"
      : "# 保密期限: 1年                # 密级为秘密、机密时必填，一年及以上以年计，不足一年以月计";
    var emergency = d.kind === spec.emergencyKind || d.urgency === spec.emergencyUrgency;
    var occurredLine = d.occurred_at
      ? "发生时间: " + d.occurred_at + "     # 北京时间；决定报送时限（特急：事发后2小时内报市委）"
      : emergency
        ? "发生时间: " + PH + "：" + plain(today) + "】  # 突发性、特急信息必填，北京时间，写到几时几分"
        : "# 发生时间: " + plain(today) + "   # 突发性或特急信息必填，北京时间";
    var followsLine = d.follows
      ? "续报: " + d.follows + "          # 所续报的首报编号"
      : "# 续报: " + unit.id + "/" + today.year + "/1112-01   # 续报时写首报的编号";
    var topicHint = "可选：" + spec.topics.slice(0, 6).join("、") + "等";
    var topicsLine = d.topics.length
      ? "主题: [" + d.topics.join(", ") + "]          # " + topicHint
      : "# 主题: [" + (spec.topics.length ? spec.topics[0] : "项目建设") + "]          # " + topicHint;
    var calls = openCalls(spec, unit, minute);
    var answered = null;
    spec.calls.forEach(function (c) { if (!answered && c.id === d.request) answered = c; });
    var requestLine = d.request
      ? "约稿: " + d.request + "      # " + (answered ? answered.topic : "所响应的约稿编号")
      : calls.length
        ? "# 约稿: " + calls[0].id + "      # 响应约稿“" + calls[0].topic + "”时写约稿编号"
        : "# 约稿: " + today.year + "/1112-anquan      # 响应信息处约稿时写约稿编号";
    var deadlineLine = d.deadline
      ? "截止时间: " + d.deadline + "     # 约稿或领导要求的截止时间，北京时间"
      : "# 截止时间: " + today.year + "-" + two(today.month) + "-" + two(today.day) + " 17:00   # 约稿或领导要求了明确的截止时间时写";
    var title = d.title ? yamlText(d.title) : PH + "：一句话写明核心事实，不超过" + spec.titleMax + "字，末尾不加句号】";
    var body = d.body ||
      PH + "：正文。一事一报，开门见山写清时间、地点、事情、做法或影响，通常二三百字。突发事件写明发生时间、地点、经过、伤亡和损失、已采取的措施、到场领导，先报基本情况，再续报】";
    return [
      "---",
      "# 信息头部：# 之后是说明，可以保留。填写规范见《信息写作与报送规范》。",
      "标题: " + title,
      "报送单位: " + unit.id + "              # " + unit.name + "；只能报送本单位的信息",
      "信息员: " + yamlText(informant) + "                # 执笔的信息员",
      "签发人: " + yamlText(approver) + "                # 签发本条信息的单位领导",
      "类别: " + d.kind + "                # " + spec.kinds.join("/"),
      "紧急程度: " + d.urgency + "              # " + spec.urgencies.join("/"),
      "密级: " + d.classification + "                  # " + spec.classifications.join("/") + "（绝密信息严禁录入本系统）",
      termLine,
      occurredLine,
      "# 事件等级: 一般               # 突发事件的等级：特别重大/重大/较大/一般，决定报送时限",
      "# 事件: 2026/1109-chaisang      # 信息处已登记该事件时，写事件编号",
      "报送对象: [" + recipients.join(", ") + "]      # " + spec.recipients.join("、") +
        "；突发性、特急信息必须报" + spec.emergencyRecipient,
      topicsLine,
      requestLine,
      deadlineLine,
      followsLine,
      "---",
      "",
      body,
      "",
    ].join("\n");
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
      var emergency = els.kind.value === spec.emergencyKind || els.urgency.value === spec.emergencyUrgency;
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
      var emergency = d.kind === spec.emergencyKind || d.urgency === spec.emergencyUrgency;
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
