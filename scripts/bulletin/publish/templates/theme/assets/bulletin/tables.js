// bulletin: every table of a page readable on a phone (docs/stylesheets/extra.css draws them).
// - A listing (five columns or more, on a page the site generates, not an issue's page): each row
//   becomes a card on a narrow screen, each value with its column's name (data-cards, data-label).
// - A table of figures (most cells numbers: the statistics, the 通报's ranking) and any other table:
//   it keeps its rows and columns; its leading name columns (名次 and 单位, 类别, 时间 …) stay fixed
//   (data-fixed) and, while the table is wider than the screen, a line above it says in Chinese that
//   it slides sideways and which columns stay (data-wide on the table, the hint shown).
(function () {
  var issuePage = !!document.querySelector(".bulletin-masthead");
  var figure = /^[-+−]?\d[\d,.]*%?$|^[—–-]$/;
  function heads(table) {
    return [].map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
  }
  function cells(table) {
    return [].slice.call(table.querySelectorAll("tbody td"));
  }
  // most of the body's cells are numbers (a count, a share, a score, or a dash for none)
  function ofFigures(table) {
    var all = cells(table);
    var numbers = all.filter(function (c) {
      return figure.test(c.textContent.trim());
    });
    return all.length > 0 && numbers.length * 2 > all.length;
  }
  // the leading columns that name a row: those before the first column of figures, and a rank
  // before a name (名次, 单位); at most two
  function nameColumns(table, count) {
    var rows = [].slice.call(table.querySelectorAll("tbody tr"));
    function numeric(i) {
      return rows.every(function (r) {
        var c = r.children[i];
        return !c || figure.test(c.textContent.trim());
      });
    }
    var n = 0;
    while (n < count && !numeric(n)) n++;
    if (n === 0 && count > 1 && !numeric(1)) n = 2; // 名次, 单位
    return n === 0 || n === count ? 1 : Math.min(n, 2); // a table of words: its first column
  }
  function cards(table, h) {
    table.setAttribute("data-cards", "");
    table.querySelectorAll("tbody tr").forEach(function (r) {
      [].forEach.call(r.children, function (c, i) {
        if (h[i]) c.setAttribute("data-label", h[i]);
      });
    });
  }
  function slides(table, h) {
    var fixed = nameColumns(table, h.length);
    var names = h.slice(0, fixed).filter(Boolean);
    table.setAttribute("data-fixed", String(fixed));
    var box = document.createElement("div");
    box.className = "bulletin-wide";
    var hint = document.createElement("p");
    hint.className = "bulletin-slide-hint";
    hint.hidden = true;
    hint.textContent =
      "表格较宽：左右滑动查看其他各列" +
      (names.length ? "，“" + names.join("”“") + "”" + (names.length > 1 ? "两列" : "一列") + "不动" : "") +
      "。";
    table.parentNode.insertBefore(box, table);
    box.appendChild(hint);
    box.appendChild(table); // the theme wraps the table in its scrolling box inside this one
    function measure() {
      // the fixed columns stand at the left, one after the other
      var left = 0;
      for (var i = 0; i < fixed; i++) {
        var column = table.querySelectorAll("tr > :nth-child(" + (i + 1) + ")");
        column.forEach(function (c) {
          c.style.left = left + "px";
        });
        if (column.length) left += column[0].getBoundingClientRect().width;
      }
      var scroller = table.closest(".md-typeset__scrollwrap") || box;
      var wide = table.getBoundingClientRect().width > scroller.clientWidth + 1;
      hint.hidden = !wide;
      if (wide) table.setAttribute("data-wide", "");
      else table.removeAttribute("data-wide");
    }
    measure();
    // again when the theme has put the table in its scrolling box, and when the screen turns
    if (window.ResizeObserver) {
      var watch = new ResizeObserver(measure);
      watch.observe(box);
      watch.observe(table);
    } else window.addEventListener("resize", measure);
  }
  document.querySelectorAll(".md-typeset table:not([class])").forEach(function (table) {
    var h = heads(table);
    if (!issuePage && h.length >= 5 && !ofFigures(table)) cards(table, h);
    else slides(table, h);
  });
})();
