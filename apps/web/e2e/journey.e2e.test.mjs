// Issue 6's browser journey: Debian's Chromium (playwright-core, no browser download) against the built app
// started the way `npm start` starts it, on a bare data dir, plus Debian's docker-registry serving the config
// Portcullis generates, and skopeo. A user's path through the admin UI, asserting what they see at each step:
// create the admin → set up the registry (reachability reason, config download) → create a user, a team with
// that user as a member, and a namespace → the member pushes with skopeo → the tags show with size and
// author → copy the pull command → delete a tag (the dialog lists every tag of that image) → the activity
// list shows the push and the delete → the CSV export has them.
// With PORTCULLIS_SCREENSHOTS=1 it also saves each main screen into docs/screenshots/ (1280×800, and a few
// at a 390 px phone width); without it nothing in the tree changes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ROOT,
  eventually,
  freePort,
  launchChromium,
  missingParts,
  ociLayout,
  parseCsv,
  skopeo,
  startPortcullis,
  startRegistry,
  writeRegistryConfig,
} from './support.mjs';

const missing = missingParts();
const SHOTS = process.env.PORTCULLIS_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : null;
const STEP_MS = 30_000;
const ADMIN = { username: 'ada', email: 'ada@example.com', display: 'Ada Admin', password: 'journey-admin-pw1' };
const MEMBER = { username: 'dora', email: 'dora@example.com', display: 'Dora Dev', password: 'journey-member-pw1' };

let work;
let app;
let registry;
let context;
let page;
let registryAddr;

before(async () => {
  if (missing.length) return;
  work = mkdtempSync(join(tmpdir(), 'portcullis-journey-'));
  mkdirSync(join(work, 'skopeo-home'));
  registryAddr = `127.0.0.1:${await freePort()}`;
  app = await startPortcullis(join(work, 'data'), await freePort());
  context = await launchChromium(join(work, 'chromium-profile'), {
    acceptDownloads: true,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  context.setDefaultTimeout(STEP_MS);
  page = context.pages()[0] ?? (await context.newPage());
});

after(async () => {
  await context?.close();
  await registry?.stop();
  await app?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** shot saves the page as docs/screenshots/<name>.png when screenshots are asked for. */
async function shot(name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  // Let fonts and Material's ripples/animations settle so the picture shows the resting screen.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** visible waits for a locator to be visible and returns it. */
async function visible(locator) {
  await locator.waitFor({ state: 'visible' });
  return locator;
}

/** go follows a main navigation link (what a user clicks), then waits for the page's heading. */
async function go(testid, heading) {
  await page.getByTestId(testid).click();
  await visible(page.getByRole('heading', { name: heading, level: 1 }).first());
}

/** textOf is a locator's text with whitespace collapsed. */
async function textOf(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** downloadText clicks `trigger`, waits for the browser's download and returns its name and content. */
async function downloadText(trigger) {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  const path = join(work, `download-${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

/** reloadUntil reloads the page until `locator` shows (the registry notifies Portcullis asynchronously). */
async function reloadUntil(locator, what) {
  await eventually(
    async () => {
      if (await locator.isVisible()) return true;
      await page.reload();
      return locator
        .waitFor({ state: 'visible', timeout: 2_000 })
        .then(() => true)
        .catch(() => false);
    },
    60_000,
    what,
  );
}

test('admin journey: first run to CSV export, in Chromium against npm start and a real registry', async (t) => {
  if (missing.length) {
    t.skip(`missing ${missing.join(', ')} (tools/test-all.sh installs the Debian packages and builds dist/)`);
    return;
  }
  await journey(t);
});

async function journey(t) {
  // Each step builds on the one before: after a failure the rest are skipped, so the first failure is the report.
  let failed = null;
  const test = (name, fn) =>
    t.test(name, async (st) => {
      if (failed) return st.skip(`an earlier step failed: ${failed}`);
      try {
        await fn(st);
      } catch (e) {
        failed = name;
        const picture = join(tmpdir(), `portcullis-journey-failure-${process.pid}.png`);
        await page.screenshot({ path: picture, fullPage: true }).catch(() => undefined);
        e.message += `\n(screen at the failure: ${picture}; url ${page.url()})`;
        // What the servers said last usually explains a browser-side timeout.
        e.message += `\n--- npm start (tail) ---\n${app.log().slice(-3000)}\n--- docker-registry (tail) ---\n${
          registry?.log().slice(-3000) ?? ''
        }`;
        throw e;
      }
    });
  await test('first run: a fresh install asks for the first admin', async () => {
    await page.goto(app.url);
    await page.waitForURL('**/setup/admin');
    await visible(page.getByRole('heading', { name: 'Welcome to Portcullis' }));
    await shot('first-run');
    await page.getByTestId('setup-admin-username').fill(ADMIN.username);
    await page.getByTestId('setup-admin-email').fill(ADMIN.email);
    await page.getByTestId('setup-admin-display-name').fill(ADMIN.display);
    await page.getByTestId('setup-admin-password').fill(ADMIN.password);
    await page.getByTestId('setup-admin-submit').click();
    await page.waitForURL('**/setup/registry');
    await visible(page.getByRole('heading', { name: 'Set up the registry' }));
  });

  await test('registry set-up: the check says why the registry is unreachable; saved anyway; config downloads', async () => {
    await page.getByTestId('registry-name').fill('main');
    await page.getByTestId('registry-hostname').fill(registryAddr);
    await page.getByTestId('registry-check').click();
    const reason = await visible(page.getByTestId('registry-check-result'));
    // Nothing listens there yet: the answer names the hostname and is not the "answers" sentence.
    assert.match(await textOf(reason), /hostname: .*(refused|not running)/i);
    assert.doesNotMatch(await textOf(reason), /answers at this address/);
    await shot('registry-setup');
    await page.getByTestId('registry-force').click();
    await page.getByTestId('registry-submit').click();
    const done = await visible(page.getByTestId('setup-registry-done'));
    assert.match(await textOf(done), new RegExp(`Registry main created at ${registryAddr.replace(/\./g, '\\.')}`));

    const config = await downloadText(page.getByTestId('download-config'));
    assert.equal(config.name, 'config.yml');
    // The generated config sends the registry's clients to this Portcullis for tokens and notifies it.
    assert.ok(config.text.includes(`${app.url}/v2/token`), config.text);
    assert.match(config.text, /notifications:/);
    const bundle = await downloadText(page.getByTestId('download-bundle'));
    assert.match(bundle.text, /-----BEGIN CERTIFICATE-----/);

    // The operator runs the registry with Portcullis's config (the CLI writes the same config with local paths).
    const configPath = writeRegistryConfig(join(work, 'data'), {
      registry: 'main',
      out: join(work, 'registry'),
      listen: registryAddr,
      portcullisUrl: app.url,
    });
    registry = await startRegistry(configPath, registryAddr);

    await page.getByTestId('setup-finish').click();
    await visible(page.getByTestId('dashboard-activities'));
  });

  await test('admin → registry: once running, the check says it answers', async () => {
    await go('nav-admin', /admin/i);
    await page
      .getByRole('tab', { name: /registr/i })
      .or(page.getByRole('link', { name: /registr/i }))
      .first()
      .click();
    await page.getByTestId('registry-edit').click();
    await page.getByTestId('registry-check').click();
    const answer = await visible(page.getByTestId('registry-check-result'));
    assert.match(await textOf(answer), /The registry answers at this address/);
  });

  await test('admin → users: create the member-to-be', async () => {
    await page.goto(`${app.url}/admin/users`);
    await page.getByTestId('user-create').click();
    // The dialog moves focus to its first field once it has opened; typing before that lands in the wrong field.
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'user-create-username');
    await page.getByTestId('user-create-username').fill(MEMBER.username);
    await page.getByTestId('user-create-email').fill(MEMBER.email);
    await page.getByTestId('user-create-display-name').fill(MEMBER.display);
    await page.getByTestId('user-create-password').fill(MEMBER.password);
    await page.getByTestId('user-create-submit').click();
    const row = await visible(page.getByTestId(`user-row-${MEMBER.username}`));
    assert.match(await textOf(row), new RegExp(MEMBER.email));
    await shot('admin-users');
  });

  await test('teams: create a team and add the member as contributor by typeahead', async () => {
    await go('nav-teams', 'Teams');
    await page.getByTestId('team-create').click();
    await page.getByTestId('team-name').fill('platform');
    await page.getByTestId('team-description').fill('Builds and runs the web images');
    await page.getByTestId('team-submit').click();
    assert.equal(await textOf(await visible(page.getByTestId('team-title'))), 'platform');

    await page.getByTestId('member-typeahead').fill('do');
    await page.getByTestId(`member-option-${MEMBER.username}`).click();
    await page.getByTestId('member-new-role').click();
    await page.getByRole('option', { name: 'Contributor' }).click();
    await page.getByTestId('member-add').click();
    const row = await visible(page.locator(`[data-testid^="member-row-"]`, { hasText: MEMBER.display }));
    assert.match(await textOf(row), /Dora Dev/);
  });

  await test('namespaces: create a public namespace owned by the team', async () => {
    await go('nav-namespaces', 'Namespaces');
    await page.getByTestId('namespace-create').click();
    await page.getByTestId('namespace-name').fill('webapps');
    await visible(page.getByTestId('namespace-name-feedback').getByText('“webapps” is available.'));
    await page.getByTestId('namespace-team').fill('platform');
    await page.getByTestId('namespace-visibility-public').click();
    await page.getByTestId('namespace-description').fill('Front-end images of the platform team');
    await page.getByTestId('namespace-submit').click();
    assert.equal(await textOf(await visible(page.getByTestId('namespace-title'))), 'webapps');
    await visible(page.getByTestId('namespace-repos-empty'));
  });

  const image = { one: null, old: null };
  await test('the member pushes two images with skopeo (1.0 and latest share one digest; 0.9 is another)', async () => {
    const creds = `${MEMBER.username}:${MEMBER.password}`;
    const home = join(work, 'skopeo-home');
    image.one = ociLayout(join(work, 'oci-one'), '1.0');
    image.old = ociLayout(join(work, 'oci-old'), '0.9', 1024 * 1024);
    for (const [layout, tag] of [
      ['oci-old:0.9', '0.9'],
      ['oci-one:1.0', '1.0'],
      ['oci-one:1.0', 'latest'],
    ]) {
      const push = await skopeo(
        [
          'copy',
          '--dest-tls-verify=false',
          '--dest-creds',
          creds,
          `oci:${join(work, layout)}`,
          `docker://${registryAddr}/webapps/site:${tag}`,
        ],
        home,
      );
      assert.equal(push.status, 0, push.out);
    }
  });

  await test('repository: the tags show grouped by image with size and who pushed them', async () => {
    await reloadUntil(page.getByTestId('repository-row-site'), 'the pushed repository in the namespace');
    await page.getByTestId('repository-row-site').getByRole('link', { name: 'site' }).click();
    assert.equal(await textOf(await visible(page.getByTestId('repository-title'))), 'webapps/site');
    await reloadUntil(page.getByTestId('tag-row-latest'), 'all three tags');
    await reloadUntil(page.getByTestId('tag-row-0.9'), 'all three tags');
    const group = page.locator('tr', { has: page.getByTestId('tag-row-1.0') });
    assert.equal(await group.getByTestId('tag-row-latest').count(), 1, '1.0 and latest share one image row');
    assert.equal(await textOf(group.getByTestId('tag-size')), '3.0 MiB');
    assert.equal(await textOf(group.getByTestId('tag-author')), MEMBER.username);
    assert.match(await textOf(page.getByTestId('tag-count')), /3 tag\(s\) in 2 image\(s\)/);
    await shot('repository');
  });

  await test('copy pull command: shown and on the clipboard', async () => {
    await page.getByTestId('copy-pull-1.0').click();
    const expected = `docker pull ${registryAddr}/webapps/site:1.0`;
    assert.equal(await textOf(await visible(page.getByTestId('pull-command'))), expected);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected);
  });

  await test('delete tag 1.0: the dialog lists every tag of that image; afterwards only 0.9 is left', async () => {
    await page.getByTestId('delete-tag-1.0').click();
    // An alert dialog: it asks to confirm something that cannot be undone.
    const dialog = await visible(page.getByRole('alertdialog'));
    assert.match(await textOf(dialog.getByRole('heading')), /Delete webapps\/site:1\.0\?/);
    const listed = await page.getByTestId('delete-tag-list').getByRole('listitem').allInnerTexts();
    assert.deepEqual(listed.map((s) => s.trim()).sort(), ['1.0', 'latest']);
    await shot('delete-tag-dialog');
    await page.getByTestId('delete-tag-confirm').click();
    await page.getByTestId('tag-row-1.0').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('tag-row-latest').count(), 0);
    await visible(page.getByTestId('tag-row-0.9'));
    assert.match(await textOf(page.getByTestId('tag-count')), /1 tag\(s\) in 1 image\(s\)/);
  });

  await test('admin → activities: the pushes by the member and the delete by the admin', async () => {
    await page.goto(`${app.url}/admin/activities`);
    await visible(page.getByTestId('activity-table'));
    const pushes = page.locator('[data-testid="activity-row"][data-key="repository.push"]');
    const deletes = page.locator('[data-testid="activity-row"][data-key="repository.delete"]');
    await visible(pushes.first());
    await visible(deletes.first());
    assert.match(await textOf(pushes.first()), new RegExp(`${MEMBER.username}.*repository\\.push.*webapps`));
    assert.match(await textOf(deletes.first()), new RegExp(`${ADMIN.username}.*repository\\.delete.*webapps`));
    await shot('activities');
  });

  await test('activities CSV export: the push and the delete are rows of the file', async () => {
    const csv = await downloadText(page.getByTestId('activity-csv'));
    assert.match(csv.name, /\.csv$/);
    const [header, ...rows] = parseCsv(csv.text).filter((r) => r.length > 1);
    assert.deepEqual(header, [
      'id',
      'created_at',
      'owner',
      'key',
      'trackable_type',
      'trackable_id',
      'namespace',
      'parameters',
    ]);
    const col = (name) => header.indexOf(name);
    const of = (key) => rows.filter((r) => r[col('key')] === key);
    const pushTags = of('repository.push').map((r) => r[col('owner')] + ' ' + r[col('parameters')]);
    assert.ok(
      pushTags.some((s) => s.startsWith(`${MEMBER.username} `) && s.includes('1.0')),
      pushTags.join('\n'),
    );
    const deletes = of('repository.delete');
    assert.ok(
      deletes.some((r) => r[col('owner')] === ADMIN.username && r[col('namespace')] === 'webapps'),
      deletes.join('\n'),
    );
  });

  // The remaining screens, for the README (only when screenshots are asked for): each is still asserted.
  await test('the other main screens show what the journey made', async () => {
    await go('nav-dashboard', /./);
    await visible(page.getByTestId('dashboard-namespaces').getByText('webapps'));
    await shot('dashboard');
    await go('nav-namespaces', 'Namespaces');
    await visible(page.getByTestId('namespace-row-webapps'));
    await shot('namespaces');
    await page.getByTestId('namespace-row-webapps').getByRole('link', { name: 'webapps' }).click();
    await visible(page.getByTestId('repository-row-site'));
    await shot('namespace-detail');
    await go('nav-teams', 'Teams');
    await visible(page.getByTestId('team-row-platform'));
    await shot('teams');
    await page.getByTestId('team-row-platform').getByRole('link', { name: 'platform' }).click();
    await visible(page.getByTestId('team-namespace-webapps'));
    await shot('team-detail');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-profile').click();
    await visible(page.getByTestId('account-form'));
    await shot('profile');
    await page.getByTestId('global-search-input').fill('site');
    await page.getByTestId('global-search-input').press('Enter');
    await visible(page.getByTestId('search-hit-repositories-webapps/site'));
    await shot('search');
    await go('nav-explore', /explore/i);
    await visible(page.getByTestId('explore-row-webapps/site'));
    await shot('explore');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${app.url}/namespaces`);
    await visible(page.getByTestId('namespace-row-webapps'));
    await page.getByTestId('namespace-row-webapps').getByRole('link', { name: 'webapps' }).click();
    await page.getByTestId('repository-row-site').getByRole('link', { name: 'site' }).click();
    await visible(page.getByTestId('tag-row-0.9'));
    await shot('phone-repository');
    await page.goto(`${app.url}/`);
    await visible(page.getByTestId('dashboard-activities'));
    await shot('phone-dashboard');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await test('signed out, Explore still lists the public namespace (anonymous browsing is on by default)', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await visible(page.getByTestId('sign-in-form'));
    await page.getByTestId('explore-link').click();
    const row = await visible(page.getByTestId('explore-row-webapps/site'));
    assert.match(await textOf(row), new RegExp(`docker pull ${registryAddr.replace(/\./g, '\\.')}/webapps/site`));
    await shot('explore-anonymous');
  });
}
