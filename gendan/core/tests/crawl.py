"""A browser crawler for test_crawl: visits what a logged-in person can reach from the menu and the pages it
links to, and collects what is wrong on each page (HTTP errors of the page and its sub-requests, console
errors and warnings, horizontal overflow, English left in the Chinese UI, text of customers the person may
not see)."""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from babel.messages.pofile import read_po

PO_FILE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# Never followed: leaving the session, other applications, files (downloads, images, feeds) and in-page anchors.
SKIP_PREFIXES = ("/accounts/logout", "/admin/", "/api/", "/i18n/", "/static/", "/media/")
SKIP_SUFFIXES = (".xlsx", ".xls", ".csv", ".ics", ".pdf", ".zip", ".png", ".jpg", ".svg")
SKIP_PATTERNS = [
    re.compile(r"^/orders/\d+/attachments/\d+/$"),  # attachment download
    re.compile(r"^/followup/milestones/\d+/evidence/$"),  # evidence file download
    re.compile(r"^/products/\d+/image/$"),  # product picture
    re.compile(r"^/company/logo/$"),  # the company's logo
    re.compile(r"^/documents/\d+/file/\w+/$"),  # a document's PDF, XLSX or signed copy
    re.compile(r"^/finance/refund-papers/\d+/$"),  # an export VAT refund paper
]
PER_BUCKET = 2  # URLs per pattern (and query variants per pattern)
PER_CRAWL = 30  # pages per role and width (more finds little new and costs CI minutes)


def pattern(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def bucket(url: str) -> tuple[str, bool]:
    """URLs are grouped by their path with digit runs replaced; a URL with a query string is a variant of its
    path, at most PER_BUCKET of them are visited besides PER_BUCKET without a query."""
    parts = urlsplit(url)
    return pattern(parts.path), bool(parts.query)


def followable(url: str, origin: str) -> str | None:
    """The URL to visit (without its fragment) if the crawler follows it, else None."""
    if not url.startswith(origin):
        return None  # other sites, mailto:, tel:, javascript:
    parts = urlsplit(url)
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or path.lower().endswith(SKIP_SUFFIXES):
        return None
    if any(p.match(path) for p in SKIP_PATTERNS):
        return None
    if "export=" in parts.query:
        return None
    return origin + path + (f"?{parts.query}" if parts.query else "")


# ---------------------------------------------------------------- the zh-hans catalogue


@dataclass
class Catalogue:
    """English UI strings that have a Chinese translation: shown as they are in the zh-hans UI, they were not
    translated. A text matches a message exactly (whitespace collapsed, a trailing colon ignored); a message
    with placeholders matches only when it has at least two words of its own outside the placeholders, so
    data (customer names, product names, codes) never matches by accident."""

    exact: set[str] = field(default_factory=set)
    patterns: list[tuple[re.Pattern, str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path = PO_FILE) -> Catalogue:
        catalogue = cls()
        with open(path, "rb") as po:
            messages = read_po(po)
        placeholder = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[^}]*\}")
        for message in messages:
            if not message.id:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            if not all(s and s.strip() for s in strings):
                continue  # no Chinese translation: English is all there is
            for msgid in ids:
                text = " ".join(msgid.split())
                if not re.search(r"[A-Za-z]", text) or text in {" ".join(s.split()) for s in strings}:
                    continue  # nothing English, or the translation keeps it (API → API)
                if placeholder.search(text):
                    literal = placeholder.sub(" ", text)
                    if len(re.findall(r"[A-Za-z]{2,}", literal)) < 2:
                        continue
                    regex = "".join(".+?" if placeholder.fullmatch(piece) else re.escape(piece)
                                    for piece in re.split(f"({placeholder.pattern})", text) if piece)
                    catalogue.patterns.append((re.compile(regex), text))
                else:
                    catalogue.exact.add(text)
        return catalogue

    def match(self, text: str) -> str | None:
        text = " ".join(text.split())
        for candidate in (text, text.rstrip(":：").strip()):
            if candidate in self.exact:
                return candidate
        if not re.search(r"[A-Za-z]{2,}", text):
            return None
        for regex, msgid in self.patterns:
            if regex.fullmatch(text):
                return msgid
        return None


# ---------------------------------------------------------------- what runs in the page

LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download') && !['hx-post', 'hx-put', 'hx-patch', 'hx-delete']
                 .some(name => a.hasAttribute(name)))
  .map(a => a.href)"""

BLANK_CHOICES_JS = """() => [...document.querySelectorAll('select')]
  .filter(el => [...el.options].some(o => o.text.trim() === '---------')).map(el => el.name)"""

# Text nodes and UI attributes; not what people type or paste (inputs, textareas, and what a page marks with
# HTML's translate="no", e.g. a contact's role as typed), nor code and identifiers (set in monospace). The
# language switch names each language in that language ("English") on purpose.
TEXTS_JS = """() => {
  const describe = el => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    const cls = typeof el.className === 'string' ? el.className.trim() : '';
    if (cls) text += '.' + cls.split(/\\s+/).join('.');
    const testid = el.closest('[data-testid]');
    if (testid) text += ` (in [data-testid=${testid.dataset.testid}])`;
    return text;
  };
  const excluded = 'script, style, noscript, template, code, pre, kbd, samp, textarea, .font-monospace, '
                 + 'button[name=language], [translate=no]';
  const visible = el => el.checkVisibility ? el.checkVisibility() : !!el.getClientRects().length;
  const found = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.nodeValue.replace(/\\s+/g, ' ').trim();
    const el = node.parentElement;
    if (!text || !/[A-Za-z]/.test(text) || !el || el.closest(excluded)) continue;
    found.push({text, where: describe(el), visible: el.tagName === 'TITLE' || visible(el), attribute: ''});
  }
  const labelled = '[placeholder], [title], [aria-label], input[type=submit], input[type=button]';
  for (const el of document.querySelectorAll(labelled)) {
    if (el.closest(excluded)) continue;
    const names = ['placeholder', 'title', 'aria-label'];
    if (el.tagName === 'INPUT' && ['submit', 'button'].includes(el.type)) names.push('value');
    for (const name of names) {
      const text = (el.getAttribute(name) || '').replace(/\\s+/g, ' ').trim();
      if (text && /[A-Za-z]/.test(text)) found.push({text, where: describe(el), visible: visible(el), attribute: name});
    }
  }
  return found;
}"""

# The page scrolls sideways: which elements stick out of the viewport, not counting those inside an element
# that scrolls or clips itself (a .table-responsive is fine). Widest first, and the innermost ones (no
# offending element inside them), which are usually the cause.
OVERFLOW_JS = """() => {
  const viewport = window.innerWidth, scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= viewport) return null;
  const clipped = el => {
    for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const describe = (el, rect) => ({
    tag: el.tagName.toLowerCase(), id: el.id || '',
    cls: typeof el.className === 'string' ? el.className.trim() : '',
    testid: (el.closest('[data-testid]') || {dataset: {}}).dataset.testid || '',
    width: Math.round(rect.width), right: Math.round(rect.right),
    text: (el.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 60),
  });
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if ((!rect.width && !rect.height) || rect.right <= viewport + 1 || clipped(el)) continue;
    offenders.push([el, rect]);
  }
  const set = new Set(offenders.map(([el]) => el));
  const innermost = offenders.filter(([el]) => !Array.from(el.querySelectorAll('*')).some(c => set.has(c)));
  const widest = [...offenders].sort((a, b) => b[1].width - a[1].width);
  return {scrollWidth, viewport, count: offenders.length,
          widest: widest.slice(0, 4).map(([el, r]) => describe(el, r)),
          innermost: innermost.slice(0, 6).map(([el, r]) => describe(el, r))};
}"""


def element(d: dict) -> str:
    text = d["tag"] + (f"#{d['id']}" if d["id"] else "") + (f".{'.'.join(d['cls'].split())}" if d["cls"] else "")
    if d["testid"]:
        text += f" [in data-testid={d['testid']}]"
    return f"{text} width={d['width']} right={d['right']}" + (f" “{d['text']}”" if d["text"] else "")


# ---------------------------------------------------------------- the crawler


@dataclass
class Problem:
    kind: str  # http, navigation, console, overflow, untranslated, leak
    role: str
    width: int
    url: str
    detail: str


@dataclass
class Crawler:
    """One browser page, crawled as one person after another (async: several crawlers run side by side)."""

    page: object
    origin: str
    catalogue: Catalogue
    problems: list[Problem] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    role: str = ""
    width: int = 0
    url: str = ""
    inflight: int = 0

    def __post_init__(self):
        page = self.page
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.add("console", f"uncaught page error: {error}"))
        page.on("response", self._response)
        page.on("request", self._request)
        page.on("requestfinished", self._done)
        page.on("requestfailed", self._failed)

    def add(self, kind: str, detail: str) -> None:
        problem = Problem(kind, self.role, self.width, self.path(self.url), detail)
        if problem not in self.problems[-100:]:
            self.problems.append(problem)

    def path(self, url: str) -> str:
        return url[len(self.origin):] if url.startswith(self.origin) else url

    # ------------------------------------------------------------ events

    def _console(self, message) -> None:
        # "Failed to load resource: … 404" repeats what the response listener reports with its URL
        if message.type in ("error", "warning") and not message.text.startswith("Failed to load resource"):
            where = message.location.get("url", "")
            source = f" (at {self.path(where)}:{message.location.get('lineNumber')})" if where else ""
            self.add("console", f"{message.type}: {message.text[:400]}{source}")

    def _request(self, request) -> None:
        self.inflight += 1

    def _done(self, request) -> None:
        self.inflight -= 1

    def _failed(self, request) -> None:
        self.inflight -= 1
        # ERR_ABORTED: the browser dropped it (a favicon when the crawler moves on); an answer with an error
        # status is reported by _response
        if "ERR_ABORTED" not in (request.failure or ""):
            self.add("http", f"{request.method} {self.path(request.url)} failed: {request.failure} "
                             f"({request.resource_type})")

    def _response(self, response) -> None:
        if response.status >= 400:
            request = response.request
            self.add("http", f"{request.method} {self.path(response.url)} → {response.status} "
                             f"({request.resource_type})")

    # ------------------------------------------------------------ visiting

    async def settle(self, timeout: float = 8.0) -> None:
        """After the load event (htmx and Alpine have started by then), until no request (htmx, images,
        fonts) has been in flight for 60 ms, long enough for what a swapped-in fragment loads in turn."""
        deadline, quiet = time.monotonic() + timeout, 0
        while time.monotonic() < deadline and quiet < 2:
            await self.page.wait_for_timeout(30)
            quiet = quiet + 1 if self.inflight <= 0 else 0
        if quiet < 2:
            self.add("navigation", f"requests still in flight after {timeout:.0f}s")

    async def log_in(self, username: str, password: str) -> bool:
        self.role = username
        await self.page.context.clear_cookies()
        self.url = f"{self.origin}/accounts/login/"
        try:
            await self.page.goto(self.url)
            await self.page.fill("#id_username", username)
            await self.page.fill("#id_password", password)
            async with self.page.expect_navigation():
                await self.page.click("[data-testid=login]")
        except Exception as error:  # noqa: BLE001 - reported, and the next role is crawled
            self.add("navigation", f"could not log in: {str(error).splitlines()[0]}")
            return False
        if "/accounts/login/" in self.page.url:
            self.add("navigation", "could not log in: still on the login page")
            return False
        return True

    async def resize(self, width: int) -> None:
        self.width = width
        await self.page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})

    async def visit(self, url: str) -> bool:
        self.url = url
        self.inflight = 0
        try:
            await self.page.goto(url, wait_until="load")
        except Exception as error:  # noqa: BLE001 - a page that does not load is a finding, not a crash
            self.add("navigation", f"did not load: {str(error).splitlines()[0]}")
            return False
        await self.settle()
        if "/accounts/login/" in self.page.url and "/accounts/login/" not in url:
            self.add("http", "sent to the login page")
            return False
        return True

    async def check_layout(self) -> None:
        overflow = await self.page.evaluate(OVERFLOW_JS)
        if overflow:
            lines = [f"page is {overflow['scrollWidth']}px wide in a {overflow['viewport']}px viewport "
                     f"({overflow['count']} elements stick out)"]
            lines += [f"widest: {element(d)}" for d in overflow["widest"]]
            lines += [f"innermost: {element(d)}" for d in overflow["innermost"]]
            self.add("overflow", "\n      ".join(lines))

    async def check_texts(self) -> None:
        language = await self.page.evaluate("document.documentElement.lang")
        if language != "zh-hans":
            self.add("untranslated", f"<html lang={language!r}>, expected zh-hans")
        for found in await self.page.evaluate(TEXTS_JS):
            if self.catalogue.match(found["text"]):
                where = f"{found['attribute']}= of " if found["attribute"] else ""
                hidden = "" if found["visible"] else " (hidden until opened)"
                self.add("untranslated", f"“{found['text']}” in {where}{found['where']}{hidden}")
        for name in await self.page.evaluate(BLANK_CHOICES_JS):
            self.add("untranslated", f"Django's “---------” as the empty choice of select[name={name}]")

    async def check_leaks(self, forbidden: dict[str, str]) -> None:
        content = await self.page.content()
        for text, customer in forbidden.items():
            for form in {text, html.escape(text, quote=False), html.escape(text)}:
                at = content.find(form)
                if at >= 0:
                    context = " ".join(content[max(0, at - 80):at + len(form) + 40].split())
                    self.add("leak", f"“{text}” (customer {customer}) in the HTML: …{context}…")
                    break

    async def check_all(self, forbidden: dict[str, str]) -> None:
        await self.check_layout()
        await self.check_texts()
        if forbidden:
            await self.check_leaks(forbidden)

    async def links(self) -> list[str]:
        return [url for href in await self.page.evaluate(LINKS_JS) if (url := followable(href, self.origin))]

    async def crawl(self, width: int, forbidden: dict[str, str]) -> list[str]:
        """From / breadth-first (a pattern not seen yet before a second URL of one seen), checking each page;
        returns the URLs visited."""
        await self.resize(width)
        started = time.monotonic()
        queued, visited = {f"{self.origin}/"}, []
        fresh, again = deque([f"{self.origin}/"]), deque()
        taken: Counter = Counter()
        while (fresh or again) and len(visited) < PER_CRAWL:
            url = fresh.popleft() if fresh else again.popleft()
            if taken[bucket(url)] >= PER_BUCKET:
                continue
            taken[bucket(url)] += 1
            visited.append(url)
            if not await self.visit(url):
                continue
            await self.check_all(forbidden)
            for link in await self.links():
                if link not in queued and taken[bucket(link)] < PER_BUCKET:
                    queued.add(link)
                    seen = taken[bucket(link)] or any(bucket(q) == bucket(link) for q in fresh)
                    (again if seen else fresh).append(link)
        self.stats[(self.role, width)] = (len(visited), time.monotonic() - started)
        return visited

    async def revisit(self, width: int, urls: list[str], forbidden: dict[str, str]) -> None:
        """The pages one crawl found, at another width."""
        await self.resize(width)
        started = time.monotonic()
        for url in urls:
            if await self.visit(url):
                await self.check_all(forbidden)
        self.stats[(self.role, width)] = (len(urls), time.monotonic() - started)


def report(problems: list[Problem], roles: list[str]) -> str:
    """Grouped by kind, then by what is wrong; each with where (role@width and path)."""
    order = {role: n for n, role in enumerate(roles)}
    problems = sorted(problems, key=lambda p: (order.get(p.role, -1), p.width))
    lines = [f"{len(problems)} problems"]
    for kind in ["http", "navigation", "console", "overflow", "untranslated", "leak"]:
        groups: dict[str, list[str]] = {}
        for p in problems:
            if p.kind == kind:
                groups.setdefault(p.detail, []).append(f"{p.role}@{p.width} {p.url}")
        if groups:
            lines.append(f"\n== {kind} ({sum(map(len, groups.values()))})")
            for detail, where in groups.items():
                lines.append(f"- {detail}\n    on {', '.join(where)}")
    return "\n".join(lines)


async def crawl_roles(*, origin: str, roles: list[tuple[str, list[int]]], password: str,
                      forbidden: dict[str, dict[str, str]], browser_path: str, flags: list[str],
                      workers: int = 2) -> tuple[list[Problem], dict]:
    """Each role crawled at its first width, its pages revisited at the others; `workers` browser pages
    (each its own session) take roles from one queue. Also the login page, as anyone sees it."""
    from playwright.async_api import async_playwright

    catalogue = Catalogue.load()
    queue: asyncio.Queue = asyncio.Queue()
    for role in roles:
        queue.put_nowait(role)
    crawlers: list[Crawler] = []

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=browser_path, args=flags)

        async def work(first: bool) -> None:
            context = await browser.new_context(locale="zh-CN")
            page = await context.new_page()
            page.set_default_timeout(15_000)
            crawler = Crawler(page=page, origin=origin, catalogue=catalogue)
            crawlers.append(crawler)
            if first:
                crawler.role = "(not logged in)"
                for width in sorted({w for _role, widths in roles for w in widths}):
                    await crawler.resize(width)
                    if await crawler.visit(f"{origin}/accounts/login/"):
                        await crawler.check_all({})
            while not queue.empty():
                username, widths = queue.get_nowait()
                if not await crawler.log_in(username, password):
                    continue
                urls = await crawler.crawl(widths[0], forbidden.get(username, {}))
                for width in widths[1:]:
                    await crawler.revisit(width, urls, forbidden.get(username, {}))
            await context.close()

        try:
            await asyncio.gather(*(work(n == 0) for n in range(workers)))
        finally:
            await browser.close()
    problems = [p for crawler in crawlers for p in crawler.problems]
    stats = {key: value for crawler in crawlers for key, value in crawler.stats.items()}
    return problems, stats
