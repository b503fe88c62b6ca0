// bulletin: the 搜索 page's interface (search.html), the desk's own over Pagefind's JavaScript API
// (pagefind/pagefind.js, written by the build with the index). It searches as the text changes, loading
// only the index chunks of the words searched: a word that arrives whole (pasted, chosen in the input
// method, dropped, ?q=… from the header's box) is searched at once; letters typed one by one wait TYPING
// ms for the next key, and nothing is searched while the input method is still composing (its pinyin
// letters are not the query). Results show as each one's text arrives; the filters (刊物, 年份, 单位,
// 主题) come after the first results.
//
// Why not Pagefind's own interface (pagefind-ui.js): the desk cuts the query, makes the excerpt and the
// line under it, and waits for the input method itself, so what that interface still did was draw a
// list; it is 120 KB of script to fetch and run before the first results, its words are English where
// not translated, and it writes filter values into the page as HTML.
//
// A module, loaded async from the page's head: it starts Pagefind (its index's entry, metadata and
// WebAssembly) as soon as pagefind.js arrives, while the page and the theme's scripts still load; what
// the reader types before that is kept and searched once Pagefind is ready.
//
// Chinese is cut by the desk, for the index (publish/search.py, cut) and here for a query (cut), by
// one rule: a run of Chinese characters is a word per character, the character and the next one
// (武宁县 → 武宁 宁县 县x in the index). A query's run is cut into its pairs, and the records holding
// every pair are found (a single character finds the words it begins; a word no record holds finds
// nothing: prepare); "quoted" text is found only where its words stand together. The index holds no
// text as written: titles, excerpts and where a result stands are shown again as written (uncut).
// the same classes as publish/search.py's HAN, FOLDED and INVISIBLE (tests/test_search.py compares them
// over every code point): Chinese characters; characters searched as Unicode's NFKC writes them;
// invisible ones left out
export var HAN = "\\u3005\\u3007\\u3021-\\u3029\\u3038-\\u303b\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3ffff}";
export var FOLDED = "\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a\\u2e80-\\u2fdf\\uf900-\\ufaff\\u{2f800}-\\u{2fa1f}";
export var INVISIBLE = "\\u00ad\\u200b-\\u200f\\u2060-\\u2064\\ufeff\\ufe00-\\ufe0f\\u{e0100}-\\u{e01ef}";
var RUN_END = "x"; // publish/search.py's RUN_END
var HAN_START = new RegExp("^[" + HAN + "]", "u");
var UNASSIGNED = /\p{Cn}/u;

// the text as it is searched: folded characters folded, invisible ones left out
function plain(text) {
  return text.replace(new RegExp("[" + INVISIBLE + "]+", "gu"), "").replace(new RegExp("[" + FOLDED + "]", "gu"), function (c) {
    return c.normalize("NFKC");
  });
}

// a query as the index is cut: each run of Chinese as its pairs of characters, a single character as
// itself (an unassigned one ends a run and is left out); other text as it is. In quotes ("…" or “…”)
// the words are to stand together as in the index: a space next to Chinese parts nothing, and a run
// followed by more of the quoted text ends with the index's word for its last character (控x in
// "防控COVID-19"); a quoted text that ends in a single character is searched unquoted (the index
// holds that character only with the next one or its end mark)
export function cut(term) {
  var quoted = /^\s*[“"](.+)[”"]\s*$/.exec(term);
  var text = plain(quoted ? quoted[1] : term);
  if (quoted) {
    text = text.replace(new RegExp("\\s+(?=[" + HAN + "])|(?<=[" + HAN + "])\\s+", "gu"), "");
  }
  var words = [];
  var exact = !!quoted;
  var pieces = text.match(new RegExp("[" + HAN + "]+|[^" + HAN + "]+", "gu")) || [];
  pieces.forEach(function (piece, n) {
    if (!HAN_START.test(piece)) {
      words.push(piece);
      return;
    }
    var parts = [[]];
    Array.from(piece).forEach(function (c) {
      if (UNASSIGNED.test(c)) {
        parts.push([]);
      } else {
        parts[parts.length - 1].push(c);
      }
    });
    parts = parts.filter(function (part) {
      return part.length;
    });
    parts.forEach(function (part, k) {
      var last = k === parts.length - 1 && n === pieces.length - 1;
      for (var i = 0; i + 1 < part.length; i++) {
        words.push(part[i] + part[i + 1]);
      }
      if (quoted && !last) {
        words.push(part[part.length - 1] + RUN_END);
      } else if (part.length === 1) {
        words.push(part[0]);
        exact = exact && !last;
      }
    });
  });
  var cutTerm = words.join(" ").replace(/\s+/g, " ").trim();
  return exact ? '"' + cutTerm + '"' : cutTerm;
}

// the text of the index's words (a record's content or meta) as written: a word that begins with a
// Chinese character stands for that character and the marks after its second; other words keep the
// space between them, but after a full-width mark (publish/search.py's uncut, the same)
export function uncut(words) {
  var out = "";
  var afterWord = false;
  (words || "").split(/\s+/).forEach(function (word) {
    if (!word) {
      return;
    }
    var chars = Array.from(word);
    if (HAN_START.test(word)) {
      out += chars[0] + chars.slice(2).join("");
      afterWord = false;
    } else {
      out += (afterWord ? " " : "") + word;
      afterWord = /^[\x00-\x7f\p{L}\p{N}]$/u.test(chars[chars.length - 1]); // not after ，；） and the like
    }
  });
  return out;
}

// Pagefind leaves out of a search any word of the query that no record holds, so long as another is
// held (武宁市 would find every record with 武宁); the query to search for each typed one is settled
// here first: the query itself, or the one word no record holds (which finds nothing)
var held = new Map(); // word -> Promise of: does a record hold it
function holds(word) {
  if (!held.has(word)) {
    held.set(
      word,
      ready
        .then(function (pagefind) {
          return pagefind.search(word);
        })
        .then(function (found) {
          return !!(found && found.results.length);
        })
        .catch(function (error) {
          held.delete(word); // asked again at the next search
          throw error;
        })
    );
  }
  return held.get(word);
}
export function prepare(term) {
  var query = cut(term);
  if (query.charAt(0) === '"') {
    return Promise.resolve(query); // a quoted search finds nothing when one of its words is not held
  }
  var words = query.split(" ").filter(function (word) {
    return /[\p{L}\p{N}]/u.test(word); // (Pagefind drops the marks of a query)
  });
  var checks = words.length > 1 ? words.map(holds) : [];
  return Promise.all(checks).then(function (found) {
    var missing = words.filter(function (word, n) {
      return found.length && !found[n];
    });
    return missing.length ? missing[0] : query;
  });
}

var base = new URL("../../", import.meta.url).pathname; // the site's root: this file is assets/bulletin/
// Pagefind's own options
var OPTIONS = {
  baseUrl: base,
  noWorker: true // one request less before the first results; the chunks searched are small
};
// the index's hash, written into the page with the preloads of its entry and metadata (publish/search.py,
// preload_index): Pagefind asks for the entry with it (?ts=…), the address preloaded, not with the time
var indexTag = document.querySelector('meta[name="bulletin-search-index"]');
if (indexTag) {
  OPTIONS.metaCacheTag = indexTag.getAttribute("content");
}
var PROBES = 5; // see ready
var PROBE_MS = 10;

// Pagefind, started: a promise of its module once its index is ready to search. Imported here rather
// than at the top, so that this file runs (and hears what the reader types, and Enter) without waiting
// for it; the page preloads it (search.html), so it arrives as soon.
//
// Pagefind takes the language of its searches from the page's <html lang> when it starts, and cuts a
// query in Chinese (zh) with the browser's dictionary, which would cut the pairs above again (武宁 as
// 武/宁). It starts told an undetermined language ("und", the index's own: publish/search.py), and the
// page keeps its lang.
//
// A search asked for before Pagefind has read its index waits in steps of 50 ms (Pagefind 1.5's getPtr
// polls), losing up to 50 ms at the first search. Pagefind tells no one when it is ready, so it is asked
// PROBES times, PROBE_MS apart, with an empty preload (which only waits for the index, and returns);
// it is ready at the first answer, within about PROBE_MS of the index, and each search then runs at once.
var ready = import("../../pagefind/pagefind.js").then(function (pagefind) {
  pagefind.options(OPTIONS);
  var lang = document.documentElement.getAttribute("lang");
  document.documentElement.setAttribute("lang", "und");
  try {
    pagefind.init();
  } finally {
    if (lang === null) {
      document.documentElement.removeAttribute("lang");
    } else {
      document.documentElement.setAttribute("lang", lang);
    }
  }
  return new Promise(function (resolve, reject) {
    var asked = 0;
    (function probe() {
      pagefind.preload("").then(function () {
        resolve(pagefind);
      }, reject);
      if (++asked < PROBES) {
        setTimeout(probe, PROBE_MS);
      }
    })();
  });
});
ready.catch(function () {}); // (a failure is shown by the search that meets it)

var EXCERPT = 64; // characters of an excerpt
var LEAD = 18; // of them at most before the first word found
var PUNCTUATION = /[\p{P}\p{S}]/gu;
// an excerpt does not start with a mark that ends a phrase
var OPENING = /^(?:\s|[，。、；：！？）》」』”’〉】,.;:!?)\]])+/;

function escape(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// the words of a query to mark in a text: its runs of Chinese and its other words, without punctuation
function marked(term) {
  var pieces = [];
  plain(term || "")
    .replace(PUNCTUATION, " ")
    .split(/\s+/)
    .forEach(function (part) {
      part.split(new RegExp("([" + HAN + "]+)", "u")).forEach(function (piece) {
        if (piece) {
          pieces.push(piece.toLowerCase());
        }
      });
    });
  return pieces;
}

// a record's text (as written) around the first word of the query found in it, the query's words
// in <mark>, as HTML: everything else escaped (a tag written as text in an item stays text). A run
// of Chinese not found whole is marked where its pairs are (the index found the record by its pairs)
export function excerpt(text, term) {
  var chars = Array.from(text || "");
  var lower = Array.from((text || "").toLowerCase());
  var haystack = lower.length === chars.length ? lower.join("") : chars.join("");
  var index = chars.join("");
  var spans = [];
  function find(piece) {
    var at = haystack.indexOf(piece);
    var found = false;
    while (at >= 0) {
      found = true;
      // in characters, not UTF-16 units: a character of an extension of Chinese is two units
      var start = Array.from(index.slice(0, at)).length;
      spans.push([start, start + Array.from(piece).length]);
      at = haystack.indexOf(piece, at + piece.length);
    }
    return found;
  }
  marked(term).forEach(function (piece) {
    var run = Array.from(piece);
    if (!find(piece) && run.length > 2 && HAN_START.test(piece)) {
      for (var i = 0; i + 1 < run.length; i++) {
        find(run[i] + run[i + 1]);
      }
    }
  });
  spans.sort(function (a, b) {
    return a[0] - b[0];
  });
  var begin = spans.length ? Math.max(0, spans[0][0] - LEAD) : 0;
  // from the start of the sentence when it begins within the lead, else of the clause
  var first = spans.length ? spans[0][0] : 0;
  var sentence = -1;
  var clause = -1;
  for (var k = begin; k < first && begin > 0; k++) {
    if ("。！？；".indexOf(chars[k]) >= 0) {
      sentence = k;
    } else if (clause < 0 && "，、：".indexOf(chars[k]) >= 0) {
      clause = k;
    }
  }
  begin = sentence >= 0 ? sentence + 1 : clause >= 0 ? clause + 1 : begin;
  var end = Math.min(chars.length, begin + EXCERPT);
  spans.forEach(function (span) {
    if (span[0] < end && span[1] > end) {
      end = span[1]; // a word found is not cut off at the end
    }
  });
  var html = "";
  var at = begin;
  spans.forEach(function (span) {
    var from = Math.max(span[0], at);
    var to = Math.min(span[1], end);
    if (from >= to) {
      return;
    }
    html += escape(chars.slice(at, from).join("")) + "<mark>" + escape(chars.slice(from, to).join("")) + "</mark>";
    at = to;
  });
  html += escape(chars.slice(at, end).join(""));
  return html.replace(OPENING, "");
}

// where a result stands (issue, units, date, or what a record is) as one line under its excerpt
function where(meta) {
  var parts = [meta["刊期"], meta["单位"], meta["日期"], meta["类别"]].filter(Boolean).map(uncut);
  return parts.length ? '<span class="bulletin-search-where">' + escape(parts.join("　")) + "</span>" : "";
}

var TYPING = 150; // ms a typed letter waits for the next key
var PAGE = 5; // results shown at first, and at each 显示更多结果
var GROUPS = ["刊物", "年份", "单位", "主题"]; // the filters of every record (publish/search.py), in this order
var OPEN = ["单位", "年份"]; // open from the start on a wide screen
var WIDE = "(min-width: 60em)";

var page = null; // the interface's parts, once they are parsed (start)
var chosen = {}; // filter group -> Set of the values ticked (a record with any of them)
var searches = 0; // the number of the latest search: an answer to an earlier one is dropped
var searched = ""; // the text and filters of the search shown (or under way)
var pending = null; // the timer of typed letters
var composing = false; // the input method is composing in the box
var underWay = false; // a search is under way: nothing of it drawn yet
var filtersLoaded = null; // a promise once Pagefind has been asked for every filter's values
var filtersReady = false; // and they have arrived: a search's counts are whole

function own(node) {
  return !!node && !!node.classList && node.classList.contains("bulletin-search__input");
}

function say(text) {
  if (page) {
    page.message.textContent = text;
  }
}

// what the message adds while filters are ticked (they stay ticked for the next word): （已按单位、年份筛选）
function filterNote() {
  var groups = GROUPS.filter(function (group) {
    return chosen[group] && chosen[group].size;
  });
  return groups.length ? "（已按" + groups.join("、") + "筛选）" : "";
}

function filterOptions() {
  var filters = {};
  GROUPS.forEach(function (group) {
    if (chosen[group] && chosen[group].size) {
      filters[group] = { any: Array.from(chosen[group]) };
    }
  });
  return filters;
}

// the results of a search: the message, the filters, and the first PAGE results
function searchNow() {
  clearTimeout(pending);
  pending = null;
  if (!page || composing) {
    return;
  }
  var term = page.box.value.trim();
  page.clear.hidden = !page.box.value;
  var key = JSON.stringify([term, filterOptions()]);
  if (key === searched) {
    return; // (the input method's word comes with compositionend and again with its input event)
  }
  searched = key;
  var number = ++searches;
  underWay = !!term;
  if (!term) {
    say("");
    page.results.textContent = "";
    page.more.hidden = true;
    page.filters.hidden = true;
    if (document.readyState === "complete") {
      startTheme(); // (else at the page's load)
    }
    return;
  }
  say("正在检索“" + term + "”" + filterNote() + "……");
  page.more.hidden = true; // (its results are the last search's)
  page.more.onclick = null;
  Promise.all([ready, prepare(term)])
    .then(function (got) {
      if (number !== searches) {
        return; // a later search has begun
      }
      return got[0].search(got[1], { filters: filterOptions() }).then(function (found) {
        if (number === searches) {
          afterFirst.push(function () {
            counts(got[0], got[1], number);
          });
          show(found, term, number);
          if (!found || !found.results.length) {
            afterResults();
          }
        }
      });
    })
    .catch(function () {
      if (number === searches) {
        say("检索失败，请刷新页面后重试");
        page.results.textContent = "";
        afterResults();
      }
    });
}

function show(found, term, number) {
  var results = (found && found.results) || [];
  var note = filterNote();
  say(
    results.length
      ? "找到" + results.length + "条与“" + term + "”相关的结果" + note
      : "没有找到与“" + term + "”相关的结果" + note
  );
  page.results.textContent = "";
  var shown = 0;
  function more() {
    results.slice(shown, shown + PAGE).forEach(function (result) {
      var item = document.createElement("li");
      item.className = "bulletin-search__result bulletin-search__result--pending";
      item.setAttribute("aria-busy", "true");
      page.results.appendChild(item);
      result.data().then(
        function (data) {
          if (number === searches) {
            fill(item, data, term);
          }
        },
        function () {
          if (number === searches) {
            item.textContent = "这条结果未能载入，请刷新页面后重试";
            item.className = "bulletin-search__result";
            item.removeAttribute("aria-busy");
            afterResults();
          }
        }
      );
    });
    shown = Math.min(results.length, shown + PAGE);
    page.more.hidden = shown >= results.length;
  }
  page.more.onclick = more;
  more();
  if (found && found.totalFilters) {
    drawFilters(found.totalFilters);
  }
}

// a result, its text arrived: its title (a link), its excerpt and where it stands
function fill(item, data, term) {
  var meta = data.meta || {};
  // the record's text ends with its title (weighted: publish/search.py), shown above the excerpt
  var text = uncut(data.content);
  var title = uncut(meta.title);
  var body = title && text.slice(-title.length) === title ? text.slice(0, -title.length) : text;
  var heading = document.createElement("p");
  heading.className = "bulletin-search__title";
  var link = document.createElement("a");
  link.className = "bulletin-search__link";
  // the record's own address (an item's place in its issue page), from the site's root
  link.href = meta.url ? base + meta.url : data.url;
  link.textContent = title || link.getAttribute("href");
  heading.appendChild(link);
  var words = document.createElement("p");
  words.className = "bulletin-search__excerpt";
  // (found by its title or unit only: the beginning of its text)
  words.innerHTML = excerpt(body || text, term) + where(meta);
  item.replaceChildren(heading, words);
  item.className = "bulletin-search__result";
  item.removeAttribute("aria-busy");
  afterResults();
}

// After the first results are drawn: the filters, and the theme's scripts (each once; a later call does
// nothing). Left until then so that the first results do not wait for them.
var afterFirst = [];
function afterResults() {
  underWay = false;
  var waiting = afterFirst;
  afterFirst = [];
  setTimeout(function () {
    waiting.forEach(function (next) {
      next();
    });
    startTheme();
  }, 0);
}

// The filters' values for the word searched, with how many results each has (without the filters
// ticked: a reader ticks two units to see both). Pagefind counts only the values it has loaded, which it
// does when asked for them all: after the first results, not before; the search is then asked again
// for its counts (its index chunk is loaded by then).
function counts(pagefind, query, number) {
  if (filtersReady) {
    return;
  }
  if (!filtersLoaded) {
    filtersLoaded = pagefind.filters().then(function () {
      filtersReady = true;
    });
  }
  filtersLoaded
    .then(function () {
      if (number === searches) {
        return pagefind.search(query, { filters: filterOptions() }).then(function (found) {
          if (number === searches && found && found.totalFilters) {
            drawFilters(found.totalFilters);
          }
        });
      }
    })
    .catch(function () {});
}

function drawFilters(totals) {
  var any = false;
  GROUPS.forEach(function (group) {
    var block = page.blocks[group];
    if (!block) {
      block = document.createElement("details");
      block.className = "bulletin-search__filter";
      block.open = OPEN.indexOf(group) >= 0 && window.matchMedia(WIDE).matches;
      var list = document.createElement("div");
      list.className = "bulletin-search__values";
      block.append(document.createElement("summary"), list);
      page.filters.appendChild(block);
      page.blocks[group] = block;
    }
    var ticked = chosen[group] || new Set();
    // the group's name, and how many of its values are ticked (a closed group still says so)
    block.querySelector("summary").textContent = group + (ticked.size ? "（已选" + ticked.size + "项）" : "");
    var values = Object.entries(totals[group] || {}).filter(function (pair) {
      return pair[1] > 0 || ticked.has(pair[0]);
    });
    values.sort(function (a, b) {
      if (group === "年份") {
        return b[0].localeCompare(a[0]); // the latest year first
      }
      return b[1] - a[1] || a[0].localeCompare(b[0], "zh-CN");
    });
    var list = block.querySelector(".bulletin-search__values");
    var rows = Array.from(list.children);
    var same =
      rows.length === values.length &&
      values.every(function (pair, n) {
        return rows[n].querySelector("input").value === pair[0];
      });
    if (!same) {
      // new rows (a new word): the focus, if on a value's box, goes to the same value's new box
      var focused = list.contains(document.activeElement) ? document.activeElement.value : null;
      rows = values.map(function (pair) {
        return valueRow(group, pair[0]);
      });
      list.replaceChildren(...rows);
      rows.forEach(function (row) {
        if (focused !== null && row.querySelector("input").value === focused) {
          row.querySelector("input").focus();
        }
      });
    }
    // the same rows (a value ticked, the same word): changed in place, the focus stays where it is
    values.forEach(function (pair, n) {
      rows[n].querySelector("input").checked = ticked.has(pair[0]);
      rows[n].querySelector(".bulletin-search__count").textContent = "（" + pair[1] + "）";
    });
    block.hidden = !values.length;
    any = any || values.length > 0;
  });
  page.filters.hidden = !any;
}

// one value of a filter: its box, the value as text, and its count
function valueRow(group, value) {
  var row = document.createElement("label");
  row.className = "bulletin-search__value";
  var box = document.createElement("input");
  box.type = "checkbox";
  box.className = "bulletin-search__check";
  box.value = value;
  box.addEventListener("change", function () {
    chosen[group] = chosen[group] || new Set();
    chosen[group][box.checked ? "add" : "delete"](value);
    searchNow();
  });
  var count = document.createElement("span");
  count.className = "bulletin-search__count";
  row.append(box, document.createTextNode(value), count);
  return row;
}

// What the reader does in the box, heard from the time this file runs (capture, on the document: the
// box may not be parsed yet)
document.addEventListener(
  "input",
  function (event) {
    if (!own(event.target)) {
      return;
    }
    if (event.isComposing || composing) {
      return; // compositionend searches the word chosen
    }
    var kind = event.inputType || "";
    var oneKey = (kind === "insertText" && (event.data || "").length === 1) || kind.indexOf("delete") === 0;
    clearTimeout(pending);
    if (oneKey) {
      pending = setTimeout(searchNow, TYPING);
      if (page) {
        page.clear.hidden = !page.box.value;
      }
    } else {
      searchNow();
    }
  },
  true
);
document.addEventListener(
  "compositionstart",
  function (event) {
    if (own(event.target)) {
      composing = true;
      clearTimeout(pending);
    }
  },
  true
);
document.addEventListener(
  "compositionend",
  function (event) {
    if (own(event.target)) {
      composing = false;
      searchNow();
    }
  },
  true
);
// Enter searches what the box holds, on this page (the form reloads the page with ?q= only where this
// script does not run); Escape empties the box
document.addEventListener(
  "submit",
  function (event) {
    if (event.target && event.target.classList && event.target.classList.contains("bulletin-search__form")) {
      event.preventDefault();
      searchNow();
    }
  },
  true
);
document.addEventListener(
  "keydown",
  function (event) {
    if (own(event.target) && event.key === "Escape" && !event.isComposing && !composing && event.keyCode !== 229) {
      event.preventDefault();
      event.target.value = "";
      searchNow();
    }
  },
  true
);

// The theme's own scripts, held back by search.html (a <template>) so that they do not take the browser's
// time before the first results: run once those are drawn, or once the page has loaded while nothing is
// searched. The theme starts on DOMContentLoaded; they are run after it (never before: the theme would
// then start twice) and handed the document as that event hands it (the theme's document$).
var themeStarted = false;
function startTheme() {
  var held = document.getElementById("bulletin-theme-scripts");
  if (themeStarted || !held) {
    return;
  }
  themeStarted = true;
  function run() {
    var scripts = Array.from(held.content.querySelectorAll("script[src]"));
    var left = scripts.length;
    function loaded() {
      if (--left === 0 && window.document$) {
        window.document$.next(document);
      }
    }
    scripts.forEach(function (old) {
      var script = document.createElement("script");
      Array.from(old.attributes).forEach(function (attribute) {
        script.setAttribute(attribute.name, attribute.value);
      });
      script.async = false; // in their order
      script.addEventListener("load", loaded);
      script.addEventListener("error", loaded);
      document.body.appendChild(script);
    });
  }
  var timing = performance.getEntriesByType("navigation")[0];
  if (timing ? timing.domContentLoadedEventEnd > 0 : document.readyState !== "loading") {
    run();
  } else {
    document.addEventListener(
      "DOMContentLoaded",
      function () {
        setTimeout(run, 0);
      },
      { once: true }
    );
  }
}
var STALLED = 3000; // ms after the page's load: the theme's scripts run even if a search has not ended
function startThemeUnlessSearching() {
  if (!underWay) {
    startTheme();
  } else {
    setTimeout(startTheme, STALLED);
  }
}
if (document.readyState === "complete") {
  setTimeout(startThemeUnlessSearching, 0);
} else {
  window.addEventListener("load", startThemeUnlessSearching);
}

// The interface's parts, as soon as they are parsed (this file may run before): what the box already holds
// (typed before, or ?q=… from the header's box) is searched
function start() {
  var root = document.getElementById("bulletin-search");
  var more = root && root.querySelector(".bulletin-search__more");
  if (!more) {
    return false;
  }
  page = {
    box: root.querySelector(".bulletin-search__input"),
    clear: root.querySelector(".bulletin-search__clear"),
    message: root.querySelector(".bulletin-search__message"),
    filters: root.querySelector(".bulletin-search__filters"),
    results: root.querySelector(".bulletin-search__results"),
    more: more,
    blocks: {}
  };
  page.clear.addEventListener("click", function () {
    page.box.value = "";
    searchNow();
    page.box.focus();
  });
  var query = new URLSearchParams(location.search).get("q");
  if (query && !page.box.value) {
    page.box.value = query;
  }
  if (!document.activeElement || document.activeElement === document.body) {
    page.box.focus();
  }
  searchNow();
  return true;
}

if (!start()) {
  var watch = new MutationObserver(function () {
    if (start()) {
      watch.disconnect();
    }
  });
  watch.observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () {
    if (!page) {
      watch.disconnect();
      start();
    }
  });
}
