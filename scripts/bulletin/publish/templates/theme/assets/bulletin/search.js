// bulletin: the 搜索 page. Pagefind's interface (pagefind/pagefind-ui.js, written by the build) in
// Chinese; it searches as the text changes, loading only the index chunks of the words searched.
// A word that arrives whole (pasted, chosen in the input method, dropped, ?q=… from the header's box)
// is searched at once; letters typed one by one wait TYPING ms for the next key, and nothing is
// searched while the input method is still composing (its pinyin letters are not the query).
//
// A module, loaded async from the page's head: it starts Pagefind (its index's entry, metadata and
// WebAssembly) as soon as pagefind.js arrives, while the page and the interface still load; the
// interface, made once the page is parsed, finds it started (one pagefind.js module, one instance).
//
// Chinese is cut by the desk, for the index (publish/search.py, cut) and here for a query (cut), by
// one rule: a run of Chinese characters is a word per character, the character and the next one
// (武宁县 → 武宁 宁县 县x in the index). A query's run is cut into its pairs, and the records holding
// every pair are found (a single character finds the words it begins; a word no record holds finds
// nothing: prepare); "quoted" text is found only where its words stand together. The index holds no
// text as written: titles, excerpts and where a result stands are shown again as written (uncut).
import * as pagefind from "../../pagefind/pagefind.js";

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
// space between them
export function uncut(words) {
  var out = "";
  var afterWord = false;
  (words || "").split(/\s+/).forEach(function (word) {
    if (!word) {
      return;
    }
    if (HAN_START.test(word)) {
      var chars = Array.from(word);
      out += chars[0] + chars.slice(2).join("");
      afterWord = false;
    } else {
      out += (afterWord ? " " : "") + word;
      afterWord = true;
    }
  });
  return out;
}

// Pagefind leaves out of a search any word of the query that no record holds, so long as another is
// held (武宁市 would find every record with 武宁); the query to search for each typed one is settled
// here first: the query itself, or the one word no record holds (which finds nothing)
var settled = new Map(); // typed query -> the query searched
var held = new Map(); // word -> Promise of: does a record hold it
function holds(word) {
  if (!held.has(word)) {
    held.set(
      word,
      pagefind.search(word).then(function (found) {
        return !!(found && found.results.length);
      })
    );
  }
  return held.get(word);
}
export function prepare(term) {
  var query = cut(term);
  if (query.charAt(0) === '"') {
    settled.set(term, query); // a quoted search finds nothing when one of its words is not held
    return Promise.resolve(query);
  }
  var words = query.split(" ").filter(function (word) {
    return /[\p{L}\p{N}]/u.test(word); // (Pagefind drops the marks of a query)
  });
  var checks = words.length > 1 ? words.map(holds) : [];
  return Promise.all(checks).then(function (found) {
    var missing = words.filter(function (word, n) {
      return found.length && !found[n];
    });
    settled.set(term, missing.length ? missing[0] : query);
    return settled.get(term);
  });
}

var base = new URL("../../", import.meta.url).pathname; // the site's root: this file is assets/bulletin/
// Pagefind's own options, given to it here; the interface gives it baseUrl again
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
pagefind.options(OPTIONS);
// Pagefind takes the language of its searches from the page's <html lang> when it starts, and cuts a
// query in Chinese (zh) with the browser's dictionary, which would cut the pairs above again (武宁 as
// 武/宁). It starts here, told an undetermined language ("und", the index's own: publish/search.py),
// and the page keeps its lang.
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

// The interface is made as soon as its script (pagefind-ui.js, async from the head as well) has run and
// the page's box for it (#bulletin-search) is parsed, not at DOMContentLoaded, which waits for the
// theme's scripts at the end of the page. (Called at the end of this file, once all of it is defined.)
function startWhenReady() {
  var done = false;
  var watch = null;
  var composing = false; // the input method is composing in the page's box: its pinyin is not the query
  function early(node) {
    return !!node && !!node.closest && !!node.closest(".bulletin-search-early");
  }
  function attempt() {
    var parsed = document.querySelector("#bulletin-search .bulletin-search-early input") || document.readyState !== "loading";
    if (done || composing || !window.PagefindUI || !parsed) {
      return;
    }
    done = true;
    if (watch) {
      watch.disconnect();
    }
    start();
  }
  document.addEventListener(
    "compositionstart",
    function (event) {
      composing = composing || early(event.target);
    },
    true
  );
  document.addEventListener(
    "compositionend",
    function (event) {
      if (early(event.target)) {
        composing = false;
        attempt();
      }
    },
    true
  );
  // Enter in the page's box: the interface searches what it holds when it takes its place (the form
  // reloads the page with ?q= only where this script does not run)
  document.addEventListener(
    "submit",
    function (event) {
      if (early(event.target)) {
        event.preventDefault();
      }
    },
    true
  );
  var script = document.getElementById("bulletin-pagefind-ui");
  if (script) {
    script.addEventListener("load", attempt);
  }
  if (document.readyState === "loading") {
    watch = new MutationObserver(attempt);
    watch.observe(document.documentElement, { childList: true, subtree: true });
  }
  document.addEventListener("DOMContentLoaded", attempt);
  attempt();
}

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

function start() {
  var TYPING = 150;
  var searched = ""; // the query of the latest search, as typed: its words are marked in the excerpts
  // where a result stands (issue, units, date) as one line under its excerpt, in place of Pagefind's
  // "key: value" tags
  function where(meta) {
    var parts = [meta["刊期"], meta["单位"], meta["日期"], meta["类别"]].filter(Boolean).map(uncut);
    return parts.length ? '<span class="bulletin-search-where">' + escape(parts.join("　")) + "</span>" : "";
  }
  // Pagefind searches on every `input` event of its box (debounceTimeoutMs 0). Events of one typed
  // letter or one deletion are held here (capture, on the box's container) and passed on when no key
  // follows within TYPING ms; so are the input method's: its committed word is passed on at once.
  function typing(holder, box) {
    if (!holder || !box) {
      return;
    }
    var pending = null;
    function searchNow() {
      clearTimeout(pending);
      pending = null;
      var event = new Event("input", { bubbles: true });
      event.bulletinNow = true;
      box.dispatchEvent(event);
    }
    holder.addEventListener(
      "input",
      function (event) {
        if (event.target !== box) {
          return;
        }
        if (!event.bulletinNow) {
          var kind = event.inputType || "";
          var oneKey = (kind === "insertText" && (event.data || "").length === 1) || kind.indexOf("delete") === 0;
          if (event.isComposing || oneKey) {
            event.stopImmediatePropagation();
            clearTimeout(pending);
            pending = event.isComposing ? null : setTimeout(searchNow, TYPING);
            return;
          }
          clearTimeout(pending);
          pending = null;
        }
        // passed on to the interface: the query it searches is settled first (prepare)
        var term = box.value;
        if (!settled.has(term)) {
          event.stopImmediatePropagation();
          prepare(term).then(function () {
            if (box.value === term) {
              searchNow();
            }
          });
        }
      },
      true
    );
    box.addEventListener("compositionend", searchNow);
  }
  // the page's own box (search.html), typed into while the interface loaded: what it holds, and its
  // placeholder, go to the interface's box, which takes its place
  var early = document.querySelector("#bulletin-search .bulletin-search-early");
  var earlyBox = early && early.querySelector("input");
  var typed = earlyBox ? earlyBox.value.trim() : "";
  var focused = !!earlyBox && document.activeElement === earlyBox;
  var placeholder = earlyBox ? earlyBox.getAttribute("placeholder") : null;
  if (early) {
    early.remove();
  }
  var ui = new PagefindUI({
    element: "#bulletin-search",
    bundlePath: base + "pagefind/",
    baseUrl: OPTIONS.baseUrl, // (noWorker is Pagefind's only before it starts: given above)
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    autofocus: false,
    debounceTimeoutMs: 0, // the wait for typed letters is below (typing): a whole word searches at once
    showEmptyFilters: false,
    openFilters: window.matchMedia("(min-width: 60em)").matches ? ["单位", "年份"] : [],
    // a new object each time: Pagefind (without its worker) hands the same result object to every search
    // that finds it, and changing it in place would prefix its address twice
    processTerm: function (term) {
      searched = term;
      return settled.has(term) ? settled.get(term) : cut(term);
    },
    processResult: function (result) {
      var meta = result.meta || {};
      // the record's text ends with its title (weighted: publish/search.py), shown above the excerpt
      var text = uncut(result.content);
      var title = uncut(meta.title);
      var body = title && text.slice(-title.length) === title ? text.slice(0, -title.length) : text;
      return Object.assign({}, result, {
        // (found by its title or unit only: the beginning of its text)
        excerpt: excerpt(body || text, searched) + where(meta),
        // the record's own address (an item's place in its issue page), from the site's root
        meta: { title: title, url: meta.url ? base + meta.url : result.url },
        sub_results: [] // (not shown: showSubResults is off)
      });
    },
    translations: {
      placeholder: placeholder || "",
      clear_search: "清除",
      load_more: "显示更多结果",
      search_label: "检索本站",
      filters_label: "筛选",
      zero_results: "没有找到与“[SEARCH_TERM]”相关的结果",
      many_results: "找到[COUNT]条与“[SEARCH_TERM]”相关的结果",
      one_result: "找到[COUNT]条与“[SEARCH_TERM]”相关的结果",
      total_zero_results: "无结果",
      total_one_result: "[COUNT]条结果",
      total_many_results: "[COUNT]条结果",
      alt_search: "没有找到与“[SEARCH_TERM]”相关的结果，以下是“[DIFFERENT_TERM]”的结果",
      search_suggestion: "没有找到与“[SEARCH_TERM]”相关的结果，请换个词语：",
      searching: "正在检索“[SEARCH_TERM]”……",
      results_label: "检索结果",
      error_search: "检索失败，请刷新页面后重试",
      filter_selected_one: "已选[COUNT]项",
      filter_selected_many: "已选[COUNT]项",
      input_hint: "输入或粘贴词语即可检索",
      loading: "正在加载……"
    }
  });
  var input = document.querySelector("#bulletin-search input.pagefind-ui__search-input");
  typing(document.querySelector("#bulletin-search"), input);
  if (input && (focused || document.activeElement === document.body)) {
    input.focus();
  } else if (input) {
    // the interface readies its side of Pagefind when its box is focused, else only at its first search,
    // which then waits 50 ms for it: readied now, the focus left where the reader has it
    input.dispatchEvent(new FocusEvent("focus"));
  }
  var query = typed || new URLSearchParams(location.search).get("q");
  if (query) {
    // searched once Pagefind has started and loaded the word's index chunk (what the search waits for
    // anyway), by when the interface has readied its side: its first search would otherwise wait 50 ms
    Promise.all([prepare(query), pagefind.preload(cut(query))]).then(function () {
      ui.triggerSearch(query);
    });
  }
}

startWhenReady();
