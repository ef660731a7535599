// The search page: words and filters in, the articles and claims that match out, from the index
// Pagefind made at build time in pagefind/: one index per bucket of pages (listed in
// pagefind/buckets.json), each searched, their results merged. A classic script, not a module:
// opened from a file, browsers refuse modules outright, and this one must still say why search
// does not work there.
"use strict";

const indexFolder = new URL("pagefind/", document.currentScript.src).href;
const SHOWN_AT_ONCE = 20;

const form = document.getElementById("search-form");
const words = document.getElementById("search-words");
const selects = [...form.querySelectorAll("select[data-filter]")];
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");

let buckets = null; // Pagefind, a module per bucket, once loaded with the filters' values
let latest = 0; // each search's number: a slower earlier one must not overwrite a later one's results

if (location.protocol === "file:") {
  // Pagefind fetches its index, and browsers refuse to fetch from file: addresses.
  document.getElementById("search-from-file").hidden = false;
} else {
  form.hidden = false;
  const asked = new URLSearchParams(location.search);
  // Words typed while the index loads are kept, and searched for once it has.
  if (!words.value) words.value = asked.get("q") || "";
  words.addEventListener("input", () => search(300));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  for (const select of selects) select.addEventListener("change", () => search());
  load(asked).then(
    () => search(),
    () => {
      statusLine.textContent = "The search index could not be loaded: rebuild the site, or try again later.";
    },
  );
}

async function load(asked) {
  const listing = await fetch(new URL("buckets.json", indexFolder));
  if (!listing.ok) throw new Error(`${listing.status}: ${listing.url}`);
  const names = (await listing.json()).buckets;
  // Each bucket's own copy of Pagefind's script, a module apart: instances made by one copy
  // share state, and lose index files when they load at once.
  const instances = await Promise.all(names.map((name) => import(new URL(`${name}/pagefind.js`, indexFolder).href)));
  const counts = summed(await Promise.all(instances.map((instance) => instance.filters())));
  for (const select of selects) {
    const name = select.dataset.filter;
    for (const [value, count] of Object.entries(counts[name] || {}).sort(([a], [b]) => a.localeCompare(b))) {
      select.add(new Option(`${value} (${count})`, value));
    }
    select.value = asked.get(name) || "";
    if (select.selectedIndex < 0) select.value = "";
  }
  buckets = instances;
}

// Each filter's values, with the number of pages of each summed over the buckets.
function summed(bucketCounts) {
  const counts = {};
  for (const filters of bucketCounts) {
    for (const [name, values] of Object.entries(filters)) {
      counts[name] ??= {};
      for (const [value, count] of Object.entries(values)) counts[name][value] = (counts[name][value] || 0) + count;
    }
  }
  return counts;
}

async function search(wait = 0) {
  const asked = ++latest;
  if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
  if (asked !== latest || !buckets) return;
  const term = words.value.trim();
  const filters = Object.fromEntries(selects.filter((s) => s.value).map((s) => [s.dataset.filter, s.value]));
  remember(term, filters);
  if (!term && !Object.keys(filters).length) {
    show([], "");
    return;
  }
  const found = (await Promise.all(buckets.map((bucket) => searchBucket(bucket, term, filters)))).flat();
  if (asked !== latest) return;
  found.sort((a, b) => b.score - a.score); // stable: equal scores in the buckets' order
  const pages = found.length;
  show(found, pages ? `${pages} ${pages === 1 ? "page" : "pages"} found.` : "No page matches.");
}

// One bucket's results. Pagefind leaves out of a search the words its index does not hold, so a
// bucket lacking one of the words would give the pages that have the others: such a bucket has
// none to give. Words are told apart as Pagefind does, by spaces; a word of no letter or digit
// is none.
async function searchBucket(bucket, term, filters) {
  const termWords = term.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
  const alone = await Promise.all(termWords.map((word) => bucket.search(word)));
  if (alone.some((found) => !found.results.length)) return [];
  // No words but a filter: every page the filter keeps.
  return (await bucket.search(term || null, { filters })).results;
}

// The results a few at a time: each needs its page's excerpt fetched. The first few replace the
// last search's and its count together, once fetched: the list is never seen empty or half
// changed in between, nor the count of one search above the results of another.
async function show(results, summary) {
  const shown = latest;
  let next = 0;
  const nextItems = async () => {
    const batch = results.slice(next, next + SHOWN_AT_ONCE);
    next += batch.length;
    return (await Promise.all(batch.map((result) => result.data()))).map(resultItem);
  };
  const first = await nextItems();
  if (shown !== latest) return;
  list.replaceChildren(...first);
  statusLine.textContent = summary;
  more.hidden = next >= results.length;
  more.onclick = async () => {
    const items = await nextItems();
    if (shown !== latest) return;
    list.append(...items);
    more.hidden = next >= results.length;
  };
}

function resultItem(page) {
  const item = document.createElement("li");
  const heading = item.appendChild(document.createElement("h2"));
  const link = heading.appendChild(document.createElement("a"));
  link.href = page.url;
  link.textContent = page.meta.title || page.url;
  const about = item.appendChild(document.createElement("p"));
  about.className = "muted";
  about.textContent = describe(page.filters);
  const excerpt = item.appendChild(document.createElement("p"));
  excerpt.append(...marked(page.excerpt));
  return item;
}

// "Claim · carried by JNS, ForumDaily and 3 more": the outlet chosen in the filters, if any, first.
function describe(filters) {
  const kind = (filters.kind || [])[0] || "";
  const chosen = form.querySelector("select[data-filter=outlet]").value;
  const outlets = [...(filters.outlet || [])].sort((a, b) => (b === chosen) - (a === chosen));
  const named = outlets.length > 3 ? `${outlets.slice(0, 2).join(", ")} and ${outlets.length - 2} more` : outlets.join(", ");
  const what = kind ? kind[0].toUpperCase() + kind.slice(1) : "Page";
  return named ? `${what} · ${kind === "claim" ? "carried by " : ""}${named}` : what;
}

// Pagefind's excerpt is HTML: the page's text with the words found in <mark>. Only the text and
// the marks are kept, read in a document that runs and loads nothing.
function marked(excerpt) {
  const parsed = new DOMParser().parseFromString(excerpt, "text/html").body;
  return [...parsed.childNodes].map((node) => {
    if (node.nodeName !== "MARK") return document.createTextNode(node.textContent);
    const mark = document.createElement("mark");
    mark.textContent = node.textContent;
    return mark;
  });
}

// The address keeps the search, so that it can be bookmarked, shared or reloaded.
function remember(term, filters) {
  const query = new URLSearchParams(term ? { q: term, ...filters } : filters).toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}
