// /corpus add | list | remove: moderators curate the corpus from Discord. Attachments are served from a
// local HTTP server on 127.0.0.1, as Discord's CDN would serve them.
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import corpus, { type CorpusAnswer, type CorpusOptions } from '../commands/corpus.js';
import { answerSource } from '../src/answers/source.js';
import { type AttachmentRef, type CommandContext, UserError, parseOptions, runCommand } from '../src/core/command.js';
import { buildDossier } from '../src/core/dossier.js';
import { type DossierHolder, watchCorpus } from '../src/corpus/watch.js';
import { messageProblems } from '../src/render/limits.js';
import { tempCorpus } from './helpers.js';

const MANAGE_GUILD = String(1 << 5);
const files = new Map<string, { body: Buffer | string; type?: string; status?: number; length?: number }>();
const requests: string[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const f = files.get(req.url ?? '');
    if (!f) {
      res.writeHead(404).end('not found');
      return;
    }
    const headers: Record<string, string | number> = { 'content-type': f.type ?? 'text/plain; charset=utf-8' };
    if (f.length !== undefined) headers['content-length'] = f.length;
    res.writeHead(f.status ?? 200, headers);
    res.end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const holders: DossierHolder[] = [];
afterEach(() => {
  for (const h of holders.splice(0)) h.close();
  files.clear();
  requests.length = 0;
});

const SHIPS = `---\ntitle: "Ships"\noutlet: Test Wire\npublished: 2023-10-14\n---\nThe cargo ship Angara carried containers from Rajin to Dunai on Oct. 5, 2023, officials said.\n`;
const ARTICLE = [
  'North Korea has shipped more than 1,000 containers of military equipment and munitions to Russia, the White House said on Friday.',
  '"We condemn the DPRK for providing Russia with this military equipment," National Security Council spokesman John Kirby told reporters.',
  'The containers were moved by rail to a depot near Tikhoretsk between Sept. 7 and Oct. 1, according to satellite images.',
].join('\n\n');

/** An attachment served at `name`, as Discord would describe it. */
function upload(name: string, body: string | Buffer, o: { type?: string; size?: number; status?: number; length?: number } = {}): AttachmentRef {
  const path = `/attachments/${Math.random().toString(36).slice(2)}/${encodeURIComponent(name)}`;
  files.set(path, { body, type: o.type, status: o.status, length: o.length });
  return { url: `${base}${path}`, filename: name, size: o.size ?? Buffer.byteLength(body), content_type: o.type ?? 'text/plain; charset=utf-8' };
}

function setup(extra: Record<string, string> = {}) {
  const dir = tempCorpus({ 'ships.md': SHIPS, ...extra });
  const holder = watchCorpus(dir, { watch: false, pollMs: 0, build: (d) => buildDossier(d, { cache: false }) });
  holders.push(holder);
  const ctx = (o: Partial<CommandContext> = {}): CommandContext => ({
    dossier: holder.current(),
    permissions: MANAGE_GUILD,
    corpusChanged: () => holder.refresh(),
    ...o,
  });
  const run = async (raw: Record<string, unknown>, o: Partial<CommandContext> = {}): Promise<CorpusAnswer> => {
    const opts = parseOptions(corpus, raw) as CorpusOptions;
    const c = ctx(o);
    const answer = await runCommand(corpus, opts, c);
    // Every answer is a Discord message that fits, pings no one and shows only to the moderator.
    const msg = corpus.render.discord(answer);
    expect(messageProblems(msg)).toEqual([]);
    expect(msg.flags).toBe(64);
    return answer;
  };
  return { dir, holder, ctx, run };
}

const refusal = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};
const listing = (dir: string) => readdirSync(dir).sort();

describe('/corpus: who may use it', () => {
  it('is registered for Manage Server only, in servers only', () => {
    expect(corpus.data).toMatchObject({ name: 'corpus', default_member_permissions: MANAGE_GUILD, contexts: [0] });
    const subs = ('options' in corpus.data ? corpus.data.options : [])!.map((o) => o.name);
    expect(subs).toEqual(['add', 'list', 'remove']);
  });

  it('checks the member’s permissions at run time, whatever the registration says', async () => {
    const { run, dir } = setup();
    expect(await refusal(run({ subcommand: 'list' }, { permissions: undefined }))).toMatch(/needs the \*\*Manage Server\*\* permission, and none were given/);
    for (const permissions of ['0', String(1 << 13), 'not a number', '']) {
      expect(await refusal(run({ subcommand: 'list' }, { permissions }))).toMatch(/needs the \*\*Manage Server\*\* permission/);
    }
    expect(await refusal(run({ subcommand: 'list' }, { permissions: null }))).toMatch(/not in direct messages/);
    // A refused remove leaves the file where it is.
    await refusal(run({ subcommand: 'remove', article: 'ships' }, { permissions: '0' }));
    expect(listing(dir)).toEqual(['ships.md']);
    expect((await run({ subcommand: 'list' }, { permissions: MANAGE_GUILD })).kind).toBe('list');
    expect((await run({ subcommand: 'list' }, { permissions: 1n << 3n })).kind).toBe('list'); // Administrator, as discord.js gives it
    expect((await run({ subcommand: 'list' }, { permissions: undefined, local: true })).kind).toBe('list');
  });

  it('offers article names to remove only to those who may remove them', () => {
    const { ctx } = setup();
    expect(corpus.autocomplete!('article', 'shi', ctx()).map((c) => c.value)).toEqual(['ships']);
    expect(corpus.autocomplete!('article', 'shi', ctx({ permissions: '0' }))).toEqual([]);
  });
});

describe('/corpus add', () => {
  it('adds an uploaded article with front-matter options, says what was extracted, and it answers at once', async () => {
    const { run, dir, holder } = setup();
    const file = upload('kirby-briefing.txt', ARTICLE);
    const a = await run({ subcommand: 'add', file, title: 'N. Korea shipped 1,000 containers', outlet: 'Yonhap', published: '2023-10-14' });
    expect(a).toMatchObject({ kind: 'added', id: 'kirby-briefing', file: 'kirby-briefing.md', title: 'N. Korea shipped 1,000 containers', outlet: 'Yonhap', published: '2023-10-14', sentences: 3 });
    if (a.kind !== 'added') throw new Error();
    expect(a.dates).toBeGreaterThanOrEqual(2);
    expect(a.statements).toBeGreaterThanOrEqual(1);
    const text = corpus.render.text(a);
    expect(text).toMatch(/Extracted: 3 sentences, \d+ dates/);
    // The file on disk: the options as front matter, then the text exactly as uploaded.
    const saved = readFileSync(join(dir, 'kirby-briefing.md'), 'utf8');
    expect(saved).toBe(`---\ntitle: "N. Korea shipped 1,000 containers"\noutlet: "Yonhap"\npublished: "2023-10-14"\n---\n${ARTICLE}`);
    expect(listing(dir)).toEqual(['kirby-briefing.md', 'ships.md']); // no temporary file left behind
    // corpusChanged refreshed the holder: the next query finds it.
    await holder.refresh();
    const hits = answerSource(holder.current(), { query: 'Tikhoretsk depot rail' }).passages;
    expect(hits[0]?.citation).toMatchObject({ article: 'kirby-briefing', outlet: 'Yonhap', published: '2023-10-14' });
  });

  it('keeps the upload’s own front matter, with the options over it', async () => {
    const { run, dir } = setup();
    const file = upload('own.md', `---\ntitle: Own title\noutlet: Own Outlet\nsection: World\n---\n${ARTICLE}\n`, { type: 'text/markdown' });
    await run({ subcommand: 'add', file, outlet: 'Better Outlet' });
    const saved = readFileSync(join(dir, 'own.md'), 'utf8');
    expect(saved).toMatch(/^---\ntitle: "Own title"\noutlet: "Better Outlet"\nsection: "World"\n---\nNorth Korea has shipped/);
  });

  it('turns an HTML page into clean text with the page’s own title, outlet and date', async () => {
    const { run, dir } = setup();
    const html = `<!doctype html><html><head><title>N. Korea ships containers | Yonhap</title>
      <meta property="og:site_name" content="Yonhap News Agency"><meta property="article:published_time" content="2023-10-14T09:12:00+09:00">
      <script>document.write("tracking")</script><style>p{color:red}</style></head>
      <body><nav><a href="/">Home</a> · <a href="/world">World</a></nav><div class="ad">Subscribe now for $1</div>
      <article><h1>N. Korea ships containers</h1>${ARTICLE.split('\n\n').map((p) => `<p>${p.replace(/"/g, '&quot;')}</p>`).join('\n')}</article>
      <footer>© Yonhap. All rights reserved.</footer></body></html>`;
    const a = await run({ subcommand: 'add', file: upload('page.html', html, { type: 'text/html' }) });
    expect(a).toMatchObject({ kind: 'added', from: 'html', outlet: 'Yonhap News Agency', published: '2023-10-14', sentences: 3 });
    const saved = readFileSync(join(dir, 'page.md'), 'utf8');
    expect(saved).toContain(ARTICLE);
    expect(saved).not.toMatch(/tracking|color:red|Subscribe now|All rights reserved|<p>|Home/);
  });

  it('never replaces an existing article: the same name (any extension or case) or the same text is refused', async () => {
    const { run, dir } = setup({ 'notes.txt': `${ARTICLE}\n` });
    const before = readFileSync(join(dir, 'ships.md'), 'utf8');
    expect(await refusal(run({ subcommand: 'add', file: upload('ships.md', ARTICLE) }))).toMatch(/an article named 'ships' is already in the corpus \(ships\.md\)/);
    expect(await refusal(run({ subcommand: 'add', file: upload('x.md', ARTICLE), name: 'SHIPS' }))).toMatch(/already in the corpus/);
    expect(await refusal(run({ subcommand: 'add', file: upload('other-name.md', ARTICLE) }))).toMatch(/already in the corpus as 'notes'/);
    expect(readFileSync(join(dir, 'ships.md'), 'utf8')).toBe(before);
    expect(listing(dir)).toEqual(['notes.txt', 'ships.md']);
    // A name already taken is refused before anything is downloaded.
    expect(requests.filter((r) => r.includes('ships.md'))).toEqual([]);
  });

  it('warns about a near-duplicate (a republished wire story) but adds it', async () => {
    const { run } = setup({ 'wire.md': `---\ntitle: Wire\noutlet: AP\npublished: 2023-10-14\n---\n${ARTICLE}\n` });
    const a = await run({ subcommand: 'add', file: upload('republished.md', `${ARTICLE}\n\nThe Herald could not verify the report independently.\n`), outlet: 'Herald', published: '2023-10-15' });
    expect(a.kind === 'added' && a.warnings.join('\n')).toMatch(/near-duplicate of 'wire'/);
  });

  it('refuses files that are not articles: wrong type, binary, not UTF-8, too large, or with nothing to quote', async () => {
    const { run, dir } = setup();
    expect(await refusal(run({ subcommand: 'add', file: upload('scan.pdf', '%PDF-1.4') }))).toMatch(/not an article file: attach a \.txt, \.md or \.html/);
    expect(await refusal(run({ subcommand: 'add', file: upload('photo.txt', 'x', { type: 'image/png' }) }))).toMatch(/is image\/png, not text/);
    expect(await refusal(run({ subcommand: 'add', file: upload('bin.txt', Buffer.from([0x48, 0x69, 0, 1, 2]), { type: 'application/octet-stream' }) }))).toMatch(/binary/);
    expect(await refusal(run({ subcommand: 'add', file: upload('latin1.txt', Buffer.from('Caf\xe9 au lait, said Kim.', 'latin1')) }))).toMatch(/not valid UTF-8/);
    expect(await refusal(run({ subcommand: 'add', file: upload('big.txt', 'x', { size: 3 * 1024 * 1024 }) }))).toMatch(/the file is 3\.0 MB; the limit is 2\.0 MB/);
    expect(requests.some((r) => r.includes('big.txt'))).toBe(false); // refused before downloading
    // Discord said it was small; the download says otherwise: the download is cut off and refused.
    expect(await refusal(run({ subcommand: 'add', file: upload('liar.txt', 'word '.repeat(500_000), { size: 100 }) }))).toMatch(/over 2\.0 MB/);
    expect(await refusal(run({ subcommand: 'add', file: upload('empty.md', '---\ntitle: Empty\n---\n') }))).toMatch(/front matter but no text/);
    expect(await refusal(run({ subcommand: 'add', file: upload('noquote.md', '"""""""\n') }))).toMatch(/no sentences were found/);
    expect(await refusal(run({ subcommand: 'add', file: upload('not-html.html', 'just words', { type: 'text/html' }) }))).toMatch(/does not look like a web page/);
    expect(await refusal(run({ subcommand: 'add', file: upload('broken-fm.md', '---\ntitle: [unclosed\n---\nText.\n') }))).toMatch(/front matter is broken \(line \d\)/);
    expect(listing(dir)).toEqual(['ships.md']);
  });

  it('refuses bad option values before doing anything', async () => {
    const { run } = setup();
    const file = upload('a.txt', ARTICLE);
    expect(await refusal(run({ subcommand: 'add', file, published: '2023-02-30' }))).toMatch(/^`published`: must be a real date/);
    expect(await refusal(run({ subcommand: 'add', file, published: 'yesterday' }))).toMatch(/^`published`: must be a real date/);
    expect(await refusal(run({ subcommand: 'add', file, url: 'javascript:alert(1)' }))).toMatch(/^`url`: must be an http\(s\) link/);
    expect(await refusal(run({ subcommand: 'add', file, title: '   ' }))).toMatch(/^`title`: is empty/);
    expect(await refusal(run({ subcommand: 'add', file, name: '../../..' }))).toMatch(/no usable file name/);
    expect(await refusal(run({ subcommand: 'add' }))).toMatch(/^`file`: attach the article/);
    expect(requests).toEqual([]);
  });

  it('a download that fails or an attachment Discord did not resolve is a clear refusal', async () => {
    const { run } = setup();
    const gone = upload('gone.txt', ARTICLE);
    files.clear();
    expect(await refusal(run({ subcommand: 'add', file: gone }))).toMatch(/Discord answered 404/);
    expect(await refusal(run({ subcommand: 'add', file: '123456789' }, { attachments: {} }))).toMatch(/did not send the attached file/);
    const ref = upload('by-id.txt', ARTICLE);
    const a = await run({ subcommand: 'add', file: '42' }, { attachments: { '42': ref } });
    expect(a).toMatchObject({ kind: 'added', id: 'by-id' });
  });

  it('downloads through the injected fetch', async () => {
    const { run } = setup();
    const seen: string[] = [];
    const ref = upload('via-fetch.txt', ARTICLE);
    await run({ subcommand: 'add', file: ref }, { fetch: (u, i) => (seen.push(String(u)), fetch(u, i)) });
    expect(seen).toEqual([ref.url]);
  });

  it('escapes what the options and the file say: no pings, no markdown from a title', async () => {
    const { run } = setup();
    const a = await run({ subcommand: 'add', file: upload('ping.txt', ARTICLE), title: '@everyone <@&123> **bold** `code`' });
    const msg = corpus.render.discord(a);
    const shown = JSON.stringify(msg.embeds);
    expect(shown).not.toMatch(/@everyone|<@&/);
    expect(msg.allowed_mentions).toEqual({ parse: [] });
  });

  it('the synchronous path (console, CLI) explains that adding needs an upload', () => {
    const { ctx } = setup();
    const o = parseOptions(corpus, { subcommand: 'add', file: upload('a.txt', ARTICLE) }) as CorpusOptions;
    expect(() => corpus.run(o, ctx())).toThrow(UserError);
  });
});

describe('/corpus list and remove', () => {
  it('lists the articles a page at a time, with the files that fail to load', async () => {
    const extra: Record<string, string> = { 'broken.md': '---\npublished: 2023-02-30\n---\nText.\n' };
    for (let i = 0; i < 20; i++) extra[`a${String(i).padStart(2, '0')}.md`] = `---\ntitle: "Article ${i}"\n---\nSentence number ${i} about the port of Rajin.\n`;
    const { run } = setup(extra);
    const p1 = await run({ subcommand: 'list' });
    expect(p1).toMatchObject({ kind: 'list', total: 21, page: 1, pages: 2 });
    const text = corpus.render.text(p1);
    expect(text).toMatch(/21 articles in the corpus/);
    expect(text).toMatch(/1 file not loading/);
    expect(text).toMatch(/broken\.md.*2023-02-30/);
    const p2 = await run({ subcommand: 'list', page: 2 });
    expect(p2.kind === 'list' && p2.items.map((i) => i.id)).toEqual(['a15', 'a16', 'a17', 'a18', 'a19', 'ships']);
    expect((await run({ subcommand: 'list', page: 99 })).kind === 'list').toBe(true);
  });

  it('removes an article to corpus/.trash, from where moving it back restores it', async () => {
    const { run, dir, holder } = setup({ 'depot.md': `---\ntitle: Depot\n---\nThe ammunition depot at Tikhoretsk grew by a third.\n` });
    const a = await run({ subcommand: 'remove', article: 'depot' });
    expect(a).toMatchObject({ kind: 'removed', id: 'depot', title: 'Depot' });
    if (a.kind !== 'removed') throw new Error();
    expect(a.trashed).toMatch(/^\.trash\/depot\..+\.md$/);
    expect(existsSync(join(dir, 'depot.md'))).toBe(false);
    expect(readFileSync(join(dir, a.trashed), 'utf8')).toMatch(/Tikhoretsk/);
    await holder.refresh();
    expect(holder.current().byId.has('depot')).toBe(false);
    expect(answerSource(holder.current(), { query: 'Tikhoretsk depot' }).passages).toEqual([]);
    // Restore: move it back.
    renameSync(join(dir, a.trashed), join(dir, 'depot.md'));
    await holder.refresh();
    expect(answerSource(holder.current(), { query: 'Tikhoretsk depot' }).passages[0]?.citation.article).toBe('depot');
  });

  it('refuses to remove what is not an article of the corpus, including paths outside it', async () => {
    const { run, dir } = setup();
    writeFileSync(join(dir, 'aliases.yaml'), '- [Geneva, the Swiss city]\n');
    for (const article of ['nope', '../ships', '/etc/passwd', 'aliases', '.trash', '*']) {
      expect(await refusal(run({ subcommand: 'remove', article }))).toMatch(/there is no article/);
    }
    expect(listing(dir)).toEqual(['aliases.yaml', 'ships.md']);
  });

  it('reads the options as the Discord runtime flattens them (no subcommand) and as the console types them', () => {
    expect(parseOptions(corpus, { article: 'x' })).toEqual({ sub: 'remove', article: 'x' });
    expect(parseOptions(corpus, {})).toEqual({ sub: 'list', page: 1 });
    expect(parseOptions(corpus, { add: 'list 2' })).toEqual({ sub: 'list', page: 2 });
    expect(parseOptions(corpus, { add: 'remove 003_x' })).toEqual({ sub: 'remove', article: '003_x' });
  });
});
