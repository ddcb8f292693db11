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

// Results listed at most, each with its page fragment loaded (a fragment holds
// the page's text, 2 to 16 KB gzip). Five fill a phone's screen; the ranking
// below reorders them, and never lifted a sixth to eighth result into the
// first three on the evaluation set.
const SHOWN = 5;
// What one query may download (gzip, as the browser reports it): a first query
// also fetches Pagefind's code and WebAssembly (85 KB, more on a larger site:
// its page list grows). The first LEAST results are always fetched; the others
// only while the query's bytes, plus the largest fragment it fetched, stay
// within the budget. Under the 150 KB ceiling, with room for a fragment larger
// than the ones seen.
const QUERY_BYTES = 140 * 1024;
const LEAST = 2;
// Sections shown under a page without expanding "more".
const SECTIONS = 3;
// Words of an excerpt, and of a table row's label when a row is a section.
const EXCERPT_WORDS = 24;
const ROW_LABEL_WORDS = 6;
// Hits weighed at least this much (Pagefind's data-pagefind-weight) make a row's
// label a heading.
const ROW_HEADING_WEIGHT = 2;
// A page whose title or a heading holds every query word outranks pages that
// only mention the words in their text, the more so the less else the heading
// says: up to twice this for a title that is just the query ("Salesforce").
const HEADING_BOOST = 2;
// Pagefind's ranking: a word found whole counts more than a longer word it
// only starts (documented "termSimilarity", default 1). Metadata fields are
// searched too: the title keeps its boost, but a diagram's alt text (Pagefind's
// automatic "image_alt", and "image", its file name) must not lift a page
// above the pages about each word it names: its text alternative is indexed
// with the page body anyway.
const RANKING = { termSimilarity: 3, metaWeights: { image: 0, image_alt: 0 } };
// The site's common words (hooks/pagefind_index.py), fetched on a typo only.
const SPELLING = "search/spelling.json";

const root = new URL("../../../", self.location.href);
let pagefind = null;
let spelling = null;
let latest = 0;
// Bytes this worker has fetched, and the largest fragment of the current query,
// read from the browser's resource timing (none where it is not available:
// then every listed result is fetched).
let fetchedBytes = 0;
let largestFragment = 0;

function bytesSoFar() {
  if (!self.performance || !performance.getEntriesByType) return 0;
  for (const entry of performance.getEntriesByType("resource")) {
    const size = entry.encodedBodySize || 0;
    fetchedBytes += size;
    if (entry.name.includes(".pf_fragment")) largestFragment = Math.max(largestFragment, size);
  }
  // Read entries are cleared, so the browser's buffer (250 entries) never fills.
  performance.clearResourceTimings();
  return fetchedBytes;
}

async function engine() {
  if (!pagefind) {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    // Imported in a worker, Pagefind searches in this worker (it starts its own
    // only from a page).
    await pagefind.options({ baseUrl: root.pathname, excerptLength: EXCERPT_WORDS, ranking: RANKING });
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

function escape(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

// Words as the index splits them: letters and digits, lower case.
function wordsOf(text) {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

// Does a heading hold every word of the query (as a word or a word's start)?
function headingHolds(title, words) {
  const inTitle = wordsOf(title);
  return words.length > 0 && words.every((word) => inTitle.some((t) => t === word || t.startsWith(word)));
}

// How fully a heading answers the query: 0 unless it holds every query word,
// else the share of its own words (question words aside) that are query words.
function coverage(title, words) {
  if (!headingHolds(title, words)) return 0;
  const own = wordsOf(title).filter((t) => !QUESTION_WORDS.has(t));
  const matched = own.filter((t) => words.some((word) => t === word || t.startsWith(word)));
  return own.length ? matched.length / own.length : 0;
}

// ------------------------------------------------------------------ sections

// Sections of a page: Pagefind's documented sub results split a page at its
// headings with ids; table rows with ids (glossary terms, cheat-sheet facets,
// matrix platforms, broker capabilities) are sections too, so a hit in a row
// links to the row.
function sectionStarts(data) {
  return data.anchors
    .filter((a) => (/^h[1-6]$/i.test(a.element) && a.text && /\S/.test(a.text)) || a.element === "tr")
    .sort((a, b) => a.location - b.location);
}

// A row has no heading: its label is its first words, up to the first full stop.
function rowLabel(words, start, end) {
  const label = [];
  for (let i = start; i < Math.min(end, start + ROW_LABEL_WORDS); i++) {
    const word = words[i];
    if (!word) continue;
    label.push(word.replace(/[.:]$/, ""));
    if (/[.:]$/.test(word)) return label.join(" ");
  }
  return label.join(" ") + (end > start + ROW_LABEL_WORDS ? " …" : "");
}

// An excerpt around a section's first hit, with the hits marked.
function excerpt(words, hits, start, end) {
  const first = hits.length ? Math.max(start, hits[0] - 4) : start;
  const last = Math.min(end, first + EXCERPT_WORDS);
  const marked = new Set(hits);
  const parts = [];
  for (let i = first; i < last; i++) parts.push(marked.has(i) ? `<mark>${words[i]}</mark>` : words[i]);
  return (first > start ? "… " : "") + parts.join(" ") + (last < end ? " …" : "");
}

// The sections of a page that hold hits, best first: a heading that holds the
// whole query, then by the weight of the hits (Pagefind's balanced scores).
function sections(data, queryWords) {
  const words = data.raw_content.split(/[\r\n\s]+/g);
  const starts = sectionStarts(data);
  const found = new Map();
  for (const hit of data.weighted_locations) {
    let at = -1;
    for (let i = 0; i < starts.length && starts[i].location <= hit.location; i++) at = i;
    // Hits before the first section, or under the page's own h1, belong to the page.
    if (at < 0 || (starts[at].element.toLowerCase() === "h1" && at === 0)) continue;
    const entry = found.get(at) || { at, hits: [], score: 0, weight: 0 };
    entry.hits.push(hit.location);
    entry.score += hit.balanced_score;
    entry.weight = Math.max(entry.weight, hit.weight);
    found.set(at, entry);
  }
  const page = sitePath(data.url).split("#")[0];
  return [...found.values()]
    .map(({ at, hits, score, weight }) => {
      const anchor = starts[at];
      const end = at + 1 < starts.length ? starts[at + 1].location : words.length;
      const isRow = anchor.element === "tr";
      const label = isRow ? rowLabel(words, anchor.location, end) : anchor.text.trim();
      let title = label;
      if (isRow) {
        const heading = starts.slice(0, at).reverse().find((a) => a.element !== "tr");
        if (heading && heading.element.toLowerCase() !== "h1") title = `${heading.text.trim()} › ${title}`;
      }
      hits.sort((a, b) => a - b);
      return {
        location: `${page}#${anchor.id}`,
        title,
        text: excerpt(words, hits, isRow ? anchor.location : anchor.location + wordsOf(anchor.text).length, end),
        // A row's label counts as a heading where the table weighs it as one
        // (glossary terms); a changelog or cheat-sheet row's first words do not.
        heading: headingHolds(label, queryWords) && (!isRow || weight >= ROW_HEADING_WEIGHT),
        label: !isRow || weight >= ROW_HEADING_WEIGHT ? label : "",
        score,
        order: at,
      };
    })
    .sort((a, b) => b.heading - a.heading || b.score - a.score || a.order - b.order);
}

// One result group as the theme renders it: the page plus its best sections
// (score >= the group's first score), then the rest behind "more".
function group(data, found, score, terms) {
  const page = sitePath(data.url).split("#")[0];
  const item = (s, value) => ({ location: s.location, title: escape(s.title), text: s.text, score: value, terms });
  const best = found.slice(0, SECTIONS).map((s) => item(s, score));
  const rest = found.slice(SECTIONS).map((s) => item(s, score / 2));
  const article = { location: page, title: escape(data.meta.title || page), text: data.excerpt, score, terms };
  return best.length ? [...best, article, ...rest] : [article, ...rest];
}

// -------------------------------------------------------------------- search

// The parts of an identifier: "EventRouter" -> event, router; "sys_id" -> sys, id.
function partsOf(word) {
  return wordsOf(word.replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, "$1 $2"));
}

// A query typed over before it is answered is not worth its chunks and
// fragments: `current()` says whether this query is still the latest.
class Superseded extends Error {}

// Words a question carries that no page is about.
const QUESTION_WORDS = new Set(
  "a an and are can do does for how i in is it many me much my of on or should the to versus vs what when where which who why with you"
    .split(" "),
);

// Pagefind returns the pages holding every word. A question in plain words
// rarely has all of them on one page: then ask without the question words,
// and if that still finds nothing, rank pages by how many of the words they hold.
async function find(pf, text, current) {
  const all = text.split(/\s+/).filter(Boolean);
  const words = all.filter((word) => !QUESTION_WORDS.has(word.toLowerCase()));
  if (!words.length) return [];
  const first = await pf.search(words.join(" "));
  if (first && first.results.length) return first.results;
  // An identifier typed as one word ("EventRouter") that the index holds only
  // inside a longer name ("outbox.EventRouter"): Pagefind indexed that name's
  // parts, so search the parts.
  const parts = words.length === 1 ? partsOf(words[0]) : [];
  if (parts.length > 1) {
    const split = await pf.search(parts.join(" "));
    if (split && split.results.length) return split.results;
  }
  if (words.length < 2) return [];
  const tally = new Map();
  for (const word of words) {
    if (!current()) throw new Superseded();
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

// ------------------------------------------------------------------ spelling

// Optimal string alignment distance (a swap of two letters counts once), up to `most`.
function distance(a, b, most) {
  if (Math.abs(a.length - b.length) > most) return most + 1;
  let before = null;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2] + 1);
      }
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > most) return most + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

// The common word nearest to a word none of the results hold (the list is
// most frequent first, so a tie goes to the more common word).
function nearest(word, common) {
  const most = word.length >= 7 ? 2 : 1;
  let best = null;
  let bestDistance = most + 1;
  for (const candidate of common) {
    const d = distance(word, candidate, most);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      if (d === 1 && candidate[0] === word[0]) break;
    }
  }
  return best;
}

// Query words that none of the loaded results hold, as a word or a word's start
// (Pagefind falls back to a shorter indexed word when nothing starts with a typo).
function unmatched(queryWords, datas) {
  const held = new Set();
  for (const d of datas) for (const w of wordsOf(d.content)) held.add(w);
  const holds = (word) => {
    for (const w of held) if (w.startsWith(word) || (word.startsWith(w) && w.length >= word.length - 2)) return true;
    return false;
  };
  return queryWords.filter((word) => word.length >= 4 && !/\d/.test(word) && !holds(word));
}

async function corrected(text, misses) {
  if (!spelling) {
    const response = await fetch(new URL(SPELLING, root));
    spelling = response.ok ? await response.json() : [];
  }
  let changed = text;
  for (const word of misses) {
    const better = nearest(word, spelling);
    if (better) changed = changed.replace(new RegExp(`\\b${word}\\b`, "iu"), better);
  }
  return changed === text ? null : changed;
}

// -------------------------------------------------------------------- answer

// The fragments of the listed results: the first LEAST, then as many more as
// the query's byte budget holds.
async function fragments(head, startBytes) {
  const datas = await Promise.all(head.slice(0, LEAST).map((result) => result.data()));
  const used = bytesSoFar() - startBytes;
  const room = largestFragment ? Math.floor((QUERY_BYTES - used) / largestFragment) : head.length;
  const more = head.slice(LEAST, LEAST + Math.max(0, room));
  return [...datas, ...(await Promise.all(more.map((result) => result.data())))];
}

async function ranked(pf, text, current) {
  const results = await find(pf, text, current);
  if (!current()) throw new Superseded();
  return results.slice(0, SHOWN);
}

async function search(query, current) {
  let text = query.trim();
  if (!text) return { items: [] };
  const startBytes = bytesSoFar();
  largestFragment = 0;
  const pf = await engine();
  // Keys typed in quick succession arrive as queued messages: let them in
  // first, so only the latest query is searched.
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (!current()) throw new Superseded();
  let head = await ranked(pf, text, current);
  // A typo shows in the first result alone: it holds every query word Pagefind
  // matched (or, for a question answered word by word, the most of them). So
  // the other results' fragments are fetched only for the query that stays.
  const first = head.length ? [await head[0].data()] : [];
  const misses = unmatched(
    wordsOf(text).filter((word) => !QUESTION_WORDS.has(word)),
    first,
  );
  if (misses.length) {
    const better = await corrected(text, misses);
    const again = better ? await ranked(pf, better, current) : null;
    if (again && again.length) {
      head = again;
      text = better;
    }
  }
  if (!current()) throw new Superseded();
  const datas = await fragments(head, startBytes);
  const words = wordsOf(text).filter((word) => !QUESTION_WORDS.has(word));
  // The page title, a section's heading or weighted row label, or the title
  // and a heading together, hold the whole query.
  const boost = (d, found) => {
    const title = d.meta.title || "";
    const headings = found.filter((s) => s.label).flatMap((s) => [s.label, `${title} ${s.label}`]);
    const best = Math.max(coverage(title, words), ...headings.map((h) => coverage(h, words)));
    return best > 0 ? HEADING_BOOST * (1 + best) : 1;
  };
  // A one-word identifier found whole in a page's text beats its parts found apart.
  const whole = words.length === 1 && partsOf(text).length > 1 ? words[0] : null;
  const exact = (d) => (whole && wordsOf(d.content).includes(whole) ? HEADING_BOOST : 1);
  const order = datas
    .map((d, i) => {
      const found = sections(d, words);
      return { d, found, score: head[i].score * boost(d, found) * exact(d) };
    })
    .sort((a, b) => b.score - a.score);
  const terms = Object.fromEntries(text.toLowerCase().split(/\s+/).map((term) => [term, true]));
  return { items: order.map(({ d, found, score }) => group(d, found, score, terms)) };
}

addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === SETUP) {
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const id = ++latest;
    const current = () => id === latest;
    let data;
    try {
      data = await search(message.data, current);
    } catch (error) {
      if (error instanceof Superseded) return;
      console.warn("Search failed:", error);
      data = { items: [] };
    }
    if (current()) postMessage({ type: RESULT, data });
  }
});
