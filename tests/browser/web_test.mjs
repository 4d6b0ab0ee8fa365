// jimu's web pages in a real browser (Debian's chromium driven by playwright-core): log in,
// approve a document from the inbox and see it leave, see the KPI figure change after a run,
// and take screenshots of the dashboard and the inbox into the test output folder.
// Run by run.sh, which prepares the jimu home, starts `jimu web` and passes:
//   node web_test.mjs URL OUTPUT_DIR JIMU HOME WORKFLOW
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

const [url, out, jimu, home, workflow] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  // A CSP violation (an inline script or style slipping in) or a failed request is a failure.
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('requestfailed', (r) => problems.push('request failed: ' + r.url()));

  await page.goto(url + 'dashboard');
  assert.equal(new URL(page.url()).pathname, '/login', 'the dashboard needs a login');
  await page.fill('input[name=user]', 'kacho');
  await page.fill('input[name=password]', 'secret-pass-1');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(new URL(page.url()).pathname, '/dashboard', await page.content());
  const figure = () => page.textContent('#kpi-operations .value');
  assert.equal(await figure(), '0');
  assert.match(await page.textContent('#kpi-operations .against'), /目標 11/);
  // The stylesheet applied: served by jimu itself, allowed by the CSP.
  const brandColor = await page.$eval('.brand', (e) => getComputedStyle(e).color);
  assert.equal(brandColor, 'rgb(31, 95, 168)');
  await page.screenshot({ path: out + '/dashboard-before.png', fullPage: true });

  await page.click('nav a[href="/inbox"]');
  await page.waitForSelector('#inbox');
  const row = page.locator('tr[data-document="D-1"]');
  assert.equal(await row.count(), 1, 'D-1 waits in the inbox');
  assert.match(await row.textContent(), /<i>コピー用紙<\/i> ㈱髙島屋 ～/);  // markup as text
  await page.screenshot({ path: out + '/inbox.png', fullPage: true });
  await row.locator('form.decide:has(input[value=approve]) input[name=comment]').fill('承認します');
  await Promise.all([page.waitForNavigation(),
                     row.locator('button[value=approve]').click()]);
  assert.equal(await page.locator('tr[data-document="D-1"]').count(), 0, 'D-1 left the inbox');
  assert.match(await page.textContent('p.done'), /D-1: 承認しました/);
  await page.screenshot({ path: out + '/inbox-after.png', fullPage: true });

  // A run of the workflow that automates GYO-1 counts the operation.
  execFileSync(jimu, ['run', workflow, '--home', home], { stdio: 'inherit' });
  await page.goto(url + 'dashboard');
  assert.equal(await figure(), '1', 'the KPI figure counts the run');
  await page.screenshot({ path: out + '/dashboard.png', fullPage: true });

  // English labels on request.
  await Promise.all([page.waitForNavigation(), page.click('header form[action="/lang"] button')]);
  assert.equal(await page.textContent('h1'), 'Dashboard');

  await Promise.all([page.waitForNavigation(), page.click('header form[action="/logout"] button')]);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.deepEqual(problems, []);
  console.log('browser test passed; screenshots in ' + out);
} finally {
  await browser.close();
}
