import { parse as parseCsv } from 'csv-parse/sync';
import { convert, type FormatCallback } from 'html-to-text';
import mammoth from 'mammoth';
import { SourceError } from './errors.js';
import { checkZipSize, type ZipLimits } from './zip-guard.js';

/** What the extractors read a source as. */
export type SourceFormat = 'pdf' | 'docx' | 'txt' | 'markdown' | 'html' | 'csv' | 'faq';

/** A run of text under the same headings; chunks never span two sections. */
export interface Section {
  headings: string[];
  text: string;
}

/** Question/answer pairs of a FAQ source. */
export interface FaqPair {
  question: string;
  answer: string;
}

/** File name endings and MIME types the upload accepts, by format. */
const extensions: Record<string, SourceFormat> = {
  pdf: 'pdf', docx: 'docx', txt: 'txt', text: 'txt', md: 'markdown', markdown: 'markdown', html: 'html', htm: 'html', csv: 'csv',
};
const mimeTypes: Record<string, SourceFormat> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/plain': 'txt', 'text/markdown': 'markdown', 'text/html': 'html', 'text/csv': 'csv',
};

/** The formats an upload may have, for messages. */
export const SUPPORTED_FILES = 'PDF, DOCX, TXT, Markdown (.md), HTML and CSV';

/** The format of an uploaded file from its name, else its MIME type; undefined when unsupported. */
export function formatOfFile(name: string, mimeType?: string): SourceFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (ext && extensions[ext]) return extensions[ext];
  return mimeType ? mimeTypes[mimeType.split(';')[0]!.trim().toLowerCase()] : undefined;
}

/** The format of a fetched web page from its Content-Type. */
export function formatOfContentType(contentType: string | undefined): SourceFormat | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/xhtml+xml') return 'html';
  return mimeTypes[type];
}

/** Limits of {@link extractSections}. */
export interface ExtractOptions {
  /** DOCX inflation limits. Default: see {@link ZipLimits}. */
  zip?: ZipLimits;
  /** Called after each PDF page with pages done / pages in all. Default: none. */
  onPage?(done: number, total: number): void;
}

/** The text of a source, in sections with their headings. Throws a {@link SourceError} saying what is wrong. */
export async function extractSections(format: SourceFormat, data: Buffer, options: ExtractOptions = {}): Promise<Section[]> {
  switch (format) {
    case 'pdf': return extractPdf(data, options.onPage);
    case 'docx': return extractDocx(data, options.zip);
    case 'html': return markdownSections(htmlToMarkdownish(decodeText(data)));
    case 'markdown': return markdownSections(decodeText(data));
    case 'csv': return extractCsv(decodeText(data));
    case 'txt': return [{ headings: [], text: decodeText(data) }];
    case 'faq': return faqSections(JSON.parse(decodeText(data)) as FaqPair[]);
  }
}

/** One section per pair, headed by its question, so a pair is never split from its answer's chunk. */
export function faqSections(pairs: FaqPair[]): Section[] {
  return pairs.map((pair) => ({ headings: [pair.question.trim()], text: `Q: ${pair.question.trim()}\nA: ${pair.answer.trim()}` }));
}

function decodeText(data: Buffer): string {
  // A UTF-8 BOM would otherwise start the first chunk.
  return new TextDecoder('utf-8', { fatal: false }).decode(data).replace(/^\uFEFF/, '');
}

async function extractPdf(data: Buffer, onPage?: (done: number, total: number) => void): Promise<Section[]> {
  if (data.subarray(0, 1024).indexOf('%PDF-') === -1) throw new SourceError('not a PDF: the file does not start with a PDF header');
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: new Uint8Array(data), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  let document;
  try {
    document = await task.promise;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') throw new SourceError('the PDF is encrypted (password-protected): save it without a password and upload it again');
    throw new SourceError(`not a readable PDF: ${(error as Error).message}`);
  }
  try {
    const sections: Section[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
      }
      page.cleanup();
      if (text.trim()) sections.push({ headings: [`Page ${n}`], text });
      onPage?.(n, document.numPages);
    }
    if (sections.length === 0) throw new SourceError('the PDF has no text (a scanned PDF needs OCR, which is not supported)');
    return sections;
  } finally {
    await task.destroy();
  }
}

async function extractDocx(data: Buffer, zip?: ZipLimits): Promise<Section[]> {
  checkZipSize(data, zip);
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: data }, { externalFileAccess: false, convertImage: mammoth.images.imgElement(async () => ({ src: '' })) })).value;
  } catch (error) {
    throw new SourceError(`not a readable DOCX: ${(error as Error).message}`);
  }
  return markdownSections(htmlToMarkdownish(html));
}

/** `<h1>`…`<h6>` become `#` lines (what {@link markdownSections} reads); the rest is plain text. */
const headingFormatter: FormatCallback = (elem, walk, builder, formatOptions) => {
  const level = Number(/^h([1-6])$/.exec(elem.name ?? '')?.[1] ?? 1);
  builder.openBlock({ leadingLineBreaks: formatOptions.leadingLineBreaks ?? 2 });
  builder.addLiteral(`${'#'.repeat(level)} `);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: formatOptions.trailingLineBreaks ?? 1 });
};

function htmlToMarkdownish(html: string): string {
  return convert(html, {
    wordwrap: false,
    formatters: { heading: headingFormatter },
    selectors: [
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, format: 'heading' })),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      ...['script', 'style', 'nav', 'noscript', 'svg', 'template'].map((selector) => ({ selector, format: 'skip' })),
    ],
  });
}

/** Splits at `#` headings, keeping the chain of headings above each section. */
export function markdownSections(text: string): Section[] {
  const sections: Section[] = [];
  const stack: { level: number; title: string }[] = [];
  let lines: string[] = [];
  let inFence = false;
  const flush = () => {
    const body = lines.join('\n').trim();
    if (body) sections.push({ headings: stack.map((h) => h.title), text: body });
    lines = [];
  };
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) {
      lines.push(line);
      continue;
    }
    flush();
    const level = heading[1]!.length;
    while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
    stack.push({ level, title: heading[2]! });
  }
  flush();
  return sections;
}

/** One line per row, `column: value` joined, so a row's values stay together in a chunk. */
function extractCsv(text: string): Section[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, relax_column_count: true, bom: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    throw new SourceError(`not a readable CSV: ${(error as Error).message}`);
  }
  const lines = rows.map((row) => Object.entries(row).filter(([, v]) => v !== '' && v !== undefined).map(([k, v]) => `${k}: ${v}`).join(' | ')).filter(Boolean);
  return lines.length ? [{ headings: [], text: lines.join('\n\n') }] : [];
}
