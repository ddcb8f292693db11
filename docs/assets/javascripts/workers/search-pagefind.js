// Search worker for the theme's search box, answering from Pagefind's index.
//
// The theme starts this worker (partials/search-config.html names it) and talks
// to it with its own messages: SETUP (0) -> READY (1), QUERY (2) -> RESULT (3).
// The search box, its keyboard shortcuts, the result list and the highlight on
// the target page stay the theme's; only the ranking and the index change.
// Pagefind's index is split into chunks: nothing is fetched until the first
// query, and then only the chunks and result fragments that query needs.

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

// Results for which the page fragment is loaded (the theme lists ten at first).
const SHOWN = 10;
// Sections shown under a page without expanding "more".
const SECTIONS = 3;
// API reference pages document the site's own code: they answer identifier
// queries, but should not crowd out the guides that explain the same words.
const DEMOTED = [["reference/api/", 0.2]];
// A page with a heading that holds every query word outranks pages that only
// mention the words in their text.
const HEADING_BOOST = 2;

const root = new URL("../../../", self.location.href);
let pagefind = null;
let latest = 0;

async function engine() {
  if (!pagefind) {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    await pagefind.options({ baseUrl: root.pathname, excerptLength: 24 });
    await pagefind.init();
  }
  return pagefind;
}

// A Pagefind URL ("/site/connectors/#x") as a location relative to the site
// root ("connectors/#x"), the form the theme's own index uses.
function sitePath(url) {
  const path = new URL(url, root).href;
  return path.startsWith(root.href) ? path.slice(root.href.length) : path;
}

function weight(url) {
  const where = sitePath(url);
  for (const [prefix, factor] of DEMOTED) if (where.startsWith(prefix)) return factor;
  return 1;
}

function escape(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

function wordsOf(text) {
  return text.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
}

// Does a heading hold every word of the query (as a word or a word's start)?
function headingHolds(title, words) {
  const inTitle = wordsOf(title);
  return words.length > 0 && words.every((word) => inTitle.some((t) => t === word || t.startsWith(word)));
}

// One result group as the theme renders it: the page plus its best sections
// (score >= the group's first score), then the rest behind "more".
function group(data, score, terms, words) {
  const page = sitePath(data.url);
  const sections = data.sub_results
    // The page's own heading (h1) stands for the page, which is listed anyway.
    .filter((sub) => sitePath(sub.url).includes("#") && sub.title !== data.meta.title)
    .map((sub, order) => ({
      sub,
      order,
      heading: headingHolds(sub.title, words),
      hits: sub.locations ? sub.locations.length : 0,
    }))
    .sort((a, b) => b.heading - a.heading || b.hits - a.hits || a.order - b.order);
  const item = (where, title, text, value) => ({ location: where, title: escape(title), text, score: value, terms });
  const best = sections.slice(0, SECTIONS).map((s) => item(sitePath(s.sub.url), s.sub.title, s.sub.excerpt, score));
  const rest = sections.slice(SECTIONS).map((s) => item(sitePath(s.sub.url), s.sub.title, s.sub.excerpt, score / 2));
  const article = item(page.split("#")[0], data.meta.title || page, data.excerpt, score);
  return best.length ? [...best, article, ...rest] : [article, ...rest];
}

// Words a question carries that no page is about.
const QUESTION_WORDS = new Set(
  "a an and are can do does for how i in is it many me much my of on or should the to versus vs what when where which who why with you"
    .split(" "),
);

// Pagefind returns the pages holding every word. A question in plain words
// rarely has all of them on one page: then ask without the question words,
// and if that still finds nothing, rank pages by how many of the words they hold.
async function find(pf, text) {
  const first = await pf.search(text);
  if (first && first.results.length) return first.results;
  const words = text.toLowerCase().split(/\s+/).filter((word) => !QUESTION_WORDS.has(word));
  if (!words.length) return [];
  if (words.length < text.split(/\s+/).length) {
    const focused = await pf.search(words.join(" "));
    if (focused && focused.results.length) return focused.results;
  }
  if (words.length < 2) return [];
  const tally = new Map();
  for (const word of words) {
    const each = await pf.search(word);
    for (const result of each ? each.results : []) {
      const seen = tally.get(result.id) || { result, words: 0, score: 0 };
      seen.words += 1;
      seen.score += result.score;
      tally.set(result.id, seen);
    }
  }
  return [...tally.values()]
    .sort((a, b) => b.words - a.words || b.score - a.score)
    .map(({ result, score }) => ({ ...result, score, data: result.data }));
}

async function search(query) {
  const text = query.trim();
  if (!text) return { items: [] };
  const pf = await engine();
  const results = await find(pf, text);
  // A fragment tells where a result lives; load a few more than are shown so
  // demoted pages can fall below the guides they would otherwise crowd out.
  const head = results.slice(0, SHOWN + 2);
  const data = await Promise.all(head.map((result) => result.data()));
  const words = wordsOf(text).filter((word) => !QUESTION_WORDS.has(word));
  const boost = (d) =>
    [d.meta.title || "", ...d.sub_results.map((sub) => sub.title)].some((title) => headingHolds(title, words))
      ? HEADING_BOOST
      : 1;
  const ranked = data
    .map((d, i) => ({ d, score: head[i].score * weight(d.url) * boost(d) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, SHOWN);
  const terms = Object.fromEntries(text.toLowerCase().split(/\s+/).map((term) => [term, true]));
  return { items: ranked.map(({ d, score }) => group(d, score, terms, words)) };
}

addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === SETUP) {
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const id = ++latest;
    let data;
    try {
      data = await search(message.data);
    } catch (error) {
      console.warn("Search failed:", error);
      data = { items: [] };
    }
    if (id === latest) postMessage({ type: RESULT, data });
  }
});
