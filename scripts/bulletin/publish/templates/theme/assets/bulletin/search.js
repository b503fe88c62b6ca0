// bulletin: the 搜索 page. Pagefind's interface (pagefind/pagefind-ui.js, written by the build) in
// Chinese; it searches as the text changes, loading only the index chunks of the words searched.
// A word that arrives whole (pasted, chosen in the input method, dropped, ?q=… from the header's box)
// is searched at once; letters typed one by one wait TYPING ms for the next key, and nothing is
// searched while the input method is still composing (its pinyin letters are not the query).
//
// A module, loaded async from the page's head: it starts Pagefind (its index's entry, metadata and
// WebAssembly) as soon as pagefind.js arrives, while the page and the interface still load; the
// interface, made once the page is parsed, finds it started (one pagefind.js module, one instance).
import * as pagefind from "../../pagefind/pagefind.js";

var base = new URL("../../", import.meta.url).pathname; // the site's root: this file is assets/bulletin/
// Pagefind's own options, given to it here; the interface gives it baseUrl and excerptLength again
var OPTIONS = {
  baseUrl: base,
  excerptLength: 40,
  noWorker: true // one request less before the first results; the chunks searched are small
};
pagefind.options(OPTIONS);
pagefind.init();

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}

function start() {
  var TYPING = 150;
  // an excerpt is cut from the text around the words found: it does not start with a mark that ends a phrase
  var lead = /^(?:\s|[，。、；：！？）》」』”’〉】,.;:!?)\]])+/;
  // Pagefind's excerpt is the page's text with the words found in <mark>, put into the page as HTML:
  // a tag written as text in an item (<img onerror=…>) must stay text, so all but <mark> is escaped
  function trim(text) {
    return escape(text || "")
      .replace(/&lt;(\/?)mark&gt;/g, "<$1mark>")
      .replace(lead, "");
  }
  function escape(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }
  // where a result stands (issue, units, date) as one line under its excerpt, in place of Pagefind's
  // "key: value" tags
  function where(meta) {
    var parts = [meta["刊期"], meta["单位"], meta["日期"], meta["类别"]].filter(Boolean);
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
        if (event.target !== box || event.bulletinNow) {
          return;
        }
        var kind = event.inputType || "";
        var oneKey = (kind === "insertText" && (event.data || "").length === 1) || kind.indexOf("delete") === 0;
        if (event.isComposing || oneKey) {
          event.stopImmediatePropagation();
          clearTimeout(pending);
          pending = event.isComposing ? null : setTimeout(searchNow, TYPING);
        } else {
          clearTimeout(pending);
          pending = null;
        }
      },
      true
    );
    box.addEventListener("compositionend", searchNow);
  }
  var ui = new PagefindUI({
    element: "#bulletin-search",
    bundlePath: base + "pagefind/",
    baseUrl: OPTIONS.baseUrl,
    excerptLength: OPTIONS.excerptLength, // (noWorker is Pagefind's only before it starts: given above)
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    autofocus: false,
    debounceTimeoutMs: 0, // the wait for typed letters is below (typing): a whole word searches at once
    showEmptyFilters: false,
    openFilters: window.matchMedia("(min-width: 60em)").matches ? ["单位", "年份"] : [],
    // a new object each time: Pagefind (without its worker) hands the same result object to every search
    // that finds it, and changing it in place would prefix its address twice
    processResult: function (result) {
      var meta = result.meta || {};
      return Object.assign({}, result, {
        excerpt: trim(result.excerpt) + where(meta),
        // the record's own address (an item's place in its issue page), from the site's root
        meta: { title: meta.title, url: meta.url ? base + meta.url : result.url },
        sub_results: (result.sub_results || []).map(function (sub) {
          return Object.assign({}, sub, { excerpt: trim(sub.excerpt) });
        })
      });
    },
    translations: {
      placeholder: "输入词语，检索各期刊物的信息和报送单位",
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
  var input = document.querySelector("#bulletin-search input");
  typing(document.querySelector("#bulletin-search"), input);
  if (input && document.activeElement === document.body) {
    input.focus();
  }
  var query = new URLSearchParams(location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
}
