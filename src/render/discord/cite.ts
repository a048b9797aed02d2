// The "Cite sources" reply: the sources of an answer as formatted citations (APA 7 and MLA 9) and as
// BibTeX and CSL-JSON files, all made by citation-js from the articles' metadata.
import { Cite, type CslItem, plugins } from '@citation-js/core';
import '@citation-js/plugin-csl';
import '@citation-js/plugin-bibtex';
import { parse as parseName } from '@citation-js/name';
import type { APIEmbed } from 'discord-api-types/v10';
import type { DiscordMessage } from '../../core/command.js';
import type { Dossier } from '../../core/dossier.js';
import type { Citation } from '../../core/types.js';
import { EMBED_COLOR } from './source.js';
import { LIMITS, NO_MENTIONS, cutLines, escapeText } from '../limits.js';

/**
 * MLA 9th edition for news articles on the web: Author. "Title." *Outlet*, Day Mon. Year, URL.
 * (The CSL project's MLA style does not ship with citation-js; this is the part of it news needs.)
 */
const MLA_CSL = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" demote-non-dropping-particle="never" default-locale="en-US">
  <info><title>MLA 9 (news articles)</title><id>dossier-mla-news</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <locale xml:lang="en-US"><terms>
    <term name="month-01" form="short">Jan.</term><term name="month-02" form="short">Feb.</term><term name="month-03" form="short">Mar.</term>
    <term name="month-04" form="short">Apr.</term><term name="month-05" form="short">May</term><term name="month-06" form="short">June</term>
    <term name="month-07" form="short">July</term><term name="month-08" form="short">Aug.</term><term name="month-09" form="short">Sept.</term>
    <term name="month-10" form="short">Oct.</term><term name="month-11" form="short">Nov.</term><term name="month-12" form="short">Dec.</term>
  </terms></locale>
  <macro name="author"><names variable="author"><name name-as-sort-order="first" and="text" delimiter=", " delimiter-precedes-last="always" et-al-min="3" et-al-use-first="1"/></names></macro>
  <macro name="issued"><date variable="issued"><date-part name="day" suffix=" "/><date-part name="month" form="short" suffix=" "/><date-part name="year"/></date></macro>
  <citation><layout><text variable="title" quotes="true"/></layout></citation>
  <bibliography hanging-indent="true">
    <sort><key macro="author"/><key variable="title"/></sort>
    <layout suffix=".">
      <group delimiter=". ">
        <text macro="author"/>
        <text variable="title" quotes="true"/>
        <group delimiter=", ">
          <text variable="container-title" font-style="italic"/>
          <text macro="issued"/>
          <text variable="URL"/>
        </group>
      </group>
    </layout>
  </bibliography>
</style>`;

const csl = plugins.config.get('@csl');
if (!csl.templates.has('mla')) csl.templates.add('mla', MLA_CSL);

/** Every citation in an answer, whatever its shape: objects with an article id, a title and a quote. */
export function citationsIn(answer: unknown, max = 100): Citation[] {
  const found = new Map<string, Citation>();
  const seen = new Set<unknown>();
  const walk = (v: unknown, depth: number): void => {
    if (!v || typeof v !== 'object' || seen.has(v) || depth > 8 || found.size >= max) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.article === 'string' && typeof o.title === 'string' && typeof o.quote === 'string' && !found.has(o.article)) {
      found.set(o.article, o as unknown as Citation);
    }
    for (const x of Object.values(o)) walk(x, depth + 1);
  };
  walk(answer, 0);
  return [...found.values()];
}

/** Bylines ("By Jane Doe and John Roe") as CSL names; an agency or a desk stays a literal name. */
function authors(byline: string | null | undefined): CslItem['author'] {
  if (!byline) return undefined;
  const names = byline
    .replace(/^\s*by\s+/i, '')
    .split(/\s*(?:,|\band\b|&)\s*/i)
    .map((s) => s.trim())
    .filter(Boolean);
  return names.map((n) => (/\b(staff|desk|agency|reuters|press|news|correspondent)\b/i.test(n) || !/\s/.test(n) ? { literal: n } : parseName(n)));
}

/** CSL-JSON for the articles cited, with metadata from the corpus. */
export function cslItems(citations: Citation[], dossier?: Dossier): CslItem[] {
  return citations.map((c) => {
    const article = dossier?.byId.get(c.article);
    const meta = article?.meta;
    const published = meta?.published ?? c.published;
    const parts = published ? published.split('-').map(Number) : null;
    const item: CslItem = { id: c.article, type: 'article-newspaper', title: meta?.title ?? c.title };
    const outlet = meta?.outlet ?? c.outlet;
    if (outlet) item['container-title'] = outlet;
    if (parts) item.issued = { 'date-parts': [parts] };
    const url = meta?.url ?? c.url;
    if (url) item.URL = url;
    const author = authors(meta?.byline);
    if (author?.length) item.author = author;
    return item;
  });
}

/** citation-js's HTML bibliography as Discord markdown, one entry per string: italics kept, the rest escaped. */
function entriesAsMarkdown(html: string): string[] {
  const decode = (s: string) =>
    s
      .replace(/<[^>]+>/g, '')
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&');
  const out: string[] = [];
  for (const m of html.matchAll(/<div[^>]*class="csl-entry"[^>]*>([\s\S]*?)<\/div>/g)) {
    const parts = m[1]!.split(/<i>([\s\S]*?)<\/i>/);
    out.push(
      parts
        .map((p, i) => {
          // Links stay as they are (an escaped link would not open); everything else is escaped.
          const t = decode(p)
            .replace(/\s+/g, ' ')
            .split(/(https?:\/\/[^\s<>]+)/)
            .map((x, j) => (j % 2 === 1 ? x : escapeText(x)))
            .join('');
          return i % 2 === 1 && t.trim() ? `*${t}*` : t;
        })
        .join('')
        .trim(),
    );
  }
  return out;
}

export interface CiteOutput {
  apa: string[];
  mla: string[];
  bibtex: string;
  csl: CslItem[];
}

export function formatCitations(items: CslItem[]): CiteOutput {
  const cite = new Cite(items);
  return {
    apa: entriesAsMarkdown(cite.format('bibliography', { format: 'html', template: 'apa', lang: 'en-US' })),
    mla: entriesAsMarkdown(cite.format('bibliography', { format: 'html', template: 'mla', lang: 'en-US' })),
    bibtex: cite.format('bibtex', { format: 'text' }),
    csl: items,
  };
}

export interface CiteFile {
  name: string;
  data: Buffer;
  contentType: string;
}

/** The Cite reply: APA and MLA in an embed, BibTeX and CSL-JSON as files to download. */
export function renderCite(citations: Citation[], dossier?: Dossier): { message: DiscordMessage; files: CiteFile[] } {
  if (citations.length === 0) {
    return {
      message: { content: 'This answer cites no articles, so there is nothing to cite.', allowed_mentions: NO_MENTIONS },
      files: [],
    };
  }
  const out = formatCitations(cslItems(citations, dossier));
  const half = Math.floor((LIMITS.embedDescription - 40) / 2);
  const description = [
    '**APA 7**',
    cutLines(out.apa.join('\n\n'), half),
    '',
    '**MLA 9**',
    cutLines(out.mla.join('\n\n'), half),
  ].join('\n');
  const embed: APIEmbed = {
    title: `Citations: ${citations.length} source${citations.length === 1 ? '' : 's'}`,
    color: EMBED_COLOR,
    description,
    footer: { text: 'BibTeX and CSL-JSON attached · formatted by citation-js' },
  };
  const files: CiteFile[] = [
    { name: 'dossier-sources.bib', data: Buffer.from(out.bibtex, 'utf8'), contentType: 'application/x-bibtex' },
    { name: 'dossier-sources.csl.json', data: Buffer.from(`${JSON.stringify(out.csl, null, 2)}\n`, 'utf8'), contentType: 'application/json' },
  ];
  return {
    message: {
      embeds: [embed],
      attachments: files.map((f, id) => ({ id, filename: f.name })),
      allowed_mentions: NO_MENTIONS,
    },
    files,
  };
}
