// The site in a real browser: headless Chromium (Debian's `chromium`)
// through playwright-core. It opens the index, follows links to a
// document, an agency and a partner page, runs a search and finds a known
// provision (and reads no part of the index for a word none holds), checks
// the keyboard path in, and fails on any console error.
//
// Needs a site built beforehand, in LEXTRACK_SITE_DIR:
//
//   cargo run --release -- --db /tmp/lt.db report --out "$LEXTRACK_SITE_DIR"
//   (cd tests/browser && npm ci) && node --test tests/browser/
//
// Without LEXTRACK_SITE_DIR the test is skipped (failed when
// LEXTRACK_REQUIRE_TOOLS=1). What to look for defaults to the bundled
// catalog and can be changed with LEXTRACK_EXPECT_DOCUMENT, _PROVISION,
// _AGENCY, _PARTNER, _QUERY and _SHARDS (the parts of the search index,
// the provision looked for being in the last). LEXTRACK_SCREENSHOTS=DIR saves screenshots
// of the index and the partner page there.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtemp, readFile, rm, stat, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, normalize, extname } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const siteDir = process.env.LEXTRACK_SITE_DIR;
const required = process.env.LEXTRACK_REQUIRE_TOOLS === "1";
const expect = {
  document: process.env.LEXTRACK_EXPECT_DOCUMENT || "eaeu-treaty",
  provision: process.env.LEXTRACK_EXPECT_PROVISION || "art_97",
  agency: process.env.LEXTRACK_EXPECT_AGENCY || "kz-mia",
  partner: process.env.LEXTRACK_EXPECT_PARTNER || "vn",
};
expect.query = process.env.LEXTRACK_EXPECT_QUERY || `${expect.document} ${expect.provision}`;
// How many parts the search index should come in (unchecked when unset).
expect.shards = Number(process.env.LEXTRACK_EXPECT_SHARDS || 0);
const chromiumPath = process.env.LEXTRACK_CHROMIUM || "/usr/bin/chromium";
// The site is served under a sub-path, to show that links are relative.
const PREFIX = "/some/sub/path/";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** A tiny static server for the site folder, under PREFIX. */
async function serve(root) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (!url.pathname.startsWith(PREFIX)) {
      res.writeHead(404).end();
      return;
    }
    const rel = decodeURIComponent(url.pathname.slice(PREFIX.length)) || "index.html";
    const file = normalize(join(root, rel));
    if (!file.startsWith(normalize(root))) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
      res.end(body);
    } catch {
      const body = await readFile(join(root, "404.html")).catch(() => "not found");
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(body);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

async function launch() {
  const profile = await mkdtemp(join(tmpdir(), "lextrack-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return { context, profile };
}

/** Collects console errors and uncaught exceptions of a page. */
function watch(page, errors) {
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`${page.url()}: ${err.message}`));
  page.on("requestfailed", (req) => errors.push(`${req.url()}: ${req.failure()?.errorText}`));
}

test("the site works in a browser", { skip: !siteDir && !required }, async (t) => {
  assert.ok(siteDir, "LEXTRACK_SITE_DIR must name a built site (LEXTRACK_REQUIRE_TOOLS=1)");
  await stat(join(siteDir, "index.html"));
  const server = await serve(siteDir);
  const base = `http://127.0.0.1:${server.address().port}${PREFIX}`;
  const { context, profile } = await launch();
  const errors = [];
  const shots = process.env.LEXTRACK_SCREENSHOTS;
  if (shots) await mkdir(shots, { recursive: true });
  try {
    const page = await context.newPage();
    watch(page, errors);

    await t.test("index, and the keyboard way in", async () => {
      await page.goto(base + "index.html");
      assert.equal(await page.getAttribute("html", "lang"), "en");
      assert.ok((await page.textContent("h1")).length > 0);
      if (shots) await page.screenshot({ path: join(shots, "index.png"), fullPage: true });
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => document.activeElement?.getAttribute("href"));
      assert.equal(focused, "#main", "the first Tab reaches the skip link");
    });

    await t.test("a document, with its provision anchors", async () => {
      await page.click('nav[aria-label="Site"] a[href="documents.html"]');
      await page.waitForURL(/documents\.html$/);
      // Long listings have continuation pages.
      let link = page.locator(`a[href="documents/${expect.document}.html"]`);
      for (let n = 2; (await link.count()) === 0; n++) {
        const next = await page.$(`nav.pager a[href="documents-${n}.html"]`);
        assert.ok(next, `no link to document ${expect.document}`);
        await next.click();
        link = page.locator(`a[href="documents/${expect.document}.html"]`);
      }
      await link.first().click();
      await page.waitForURL(new RegExp(`documents/${expect.document}\\.html$`));
      const anchor = page.locator(`[id="${expect.provision}"]`);
      assert.equal(await anchor.count(), 1, `provision ${expect.provision} has an anchor`);
      await page.click(`a[href="#${expect.provision}"]`);
      assert.ok(page.url().endsWith(`#${expect.provision}`));
    });

    await t.test("an agency", async () => {
      await page.click('nav[aria-label="Site"] a[href="../agencies.html"]');
      await page.waitForURL(/agencies\.html$/);
      await page.click(`a[href="agencies/${expect.agency}.html"]`);
      await page.waitForURL(new RegExp(`agencies/${expect.agency}\\.html$`));
      assert.ok((await page.textContent("h1")).trim().length > 0);
      assert.ok(await page.$("h2#obligations"));
    });

    await t.test("a partner, with its timelines", async () => {
      await page.click('nav[aria-label="Site"] a[href="../partners.html"]');
      await page.waitForURL(/partners\.html$/);
      await page.click(`a[href="partners/${expect.partner}.html"]`);
      await page.waitForURL(new RegExp(`partners/${expect.partner}\\.html$`));
      const agreements = await page.$$("section[aria-labelledby^='a-']");
      const timelines = await page.$$("figure.timeline svg");
      assert.equal(timelines.length, agreements.length, "one timeline per agreement");
      if (shots) await page.screenshot({ path: join(shots, "partner.png"), fullPage: true });
    });

    await t.test("search finds a known provision", async () => {
      if (expect.shards) {
        // The index comes in parts, and the provision is in the last one:
        // finding it means the page's filters agree with lextrack's and
        // let the search reach it.
        const contents = JSON.parse(await readFile(join(siteDir, "search-index.json"), "utf8"));
        assert.equal(contents.shards.length, expect.shards, "parts of the search index");
        const last = JSON.parse(await readFile(join(siteDir, contents.shards.at(-1)), "utf8"));
        const href = `documents/${expect.document}.html#${expect.provision}`;
        assert.ok(last.entries.some((e) => e[1] === href), `${href} is in the last part`);
      }
      await page.goto(base + "search.html");
      await page.fill("#q", expect.query);
      await page.press("#q", "Enter");
      const hit = page.locator(`#results a[href="documents/${expect.document}.html#${expect.provision}"]`);
      await hit.first().waitFor({ timeout: 15000 });
      await hit.first().click();
      await page.waitForURL(new RegExp(`documents/${expect.document}\\.html#${expect.provision}$`));
    });

    await t.test("search reads no part of the index for a word no part holds", async () => {
      // Each part's filter of trigrams says it cannot hold the word, which
      // the page must work out from the table of contents alone.
      const parts = [];
      const onRequest = (r) => {
        if (r.url().includes("/search/")) parts.push(r.url());
      };
      page.on("request", onRequest);
      try {
        await page.goto(base + "search.html?q=" + encodeURIComponent("zqxjvkwq"));
        await page.locator("#status", { hasText: "No matches." }).waitFor({ timeout: 15000 });
      } finally {
        page.off("request", onRequest);
      }
      assert.deepEqual(parts, []);
    });

    await t.test("search works from disk too", async () => {
      const url = pathToFileURL(join(siteDir, "search.html")).href + "?q=" + encodeURIComponent(expect.query);
      await page.goto(url);
      const hit = page.locator(`#results a[href="documents/${expect.document}.html#${expect.provision}"]`);
      await hit.first().waitFor({ timeout: 15000 });
    });

    await t.test("printing keeps the back-links and the badge legend", async () => {
      await page.goto(base + "sources.html");
      await page.emulateMedia({ media: "print" });
      try {
        // "Cited by" lists are folded on screen and open in print.
        const citer = page.locator("details a").first();
        assert.equal(await citer.count(), 1, "sources have back-links");
        assert.ok(await citer.isVisible(), "back-links are printed");
        assert.ok(await page.locator("footer.site p").isVisible(), "the legend is printed");
        // A link whose text is its address is not printed twice.
        const doubled = await page.evaluate(() =>
          [...document.querySelectorAll('a[href^="http"]')].filter(
            (a) => a.textContent === a.getAttribute("href") &&
              getComputedStyle(a, "::after").content.includes("http")).length);
        assert.equal(doubled, 0, "addresses printed twice");
      } finally {
        await page.emulateMedia({ media: "screen" });
      }
    });

    await t.test("no console errors", () => {
      assert.deepEqual(errors, []);
    });
  } finally {
    await context.close();
    server.close();
    await rm(profile, { recursive: true, force: true });
  }
});
