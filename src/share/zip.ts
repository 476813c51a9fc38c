/**
 * Export as a zip with one YAML file per resource, named `<kind>-<namespace>-<name>.yaml` (`<kind>-<name>.yaml` for
 * cluster-scoped kinds). A document holding one resource is copied as written, comments included; objects inside a
 * List are printed on their own. Pure.
 */
import { zipSync } from 'fflate';
import { stringify } from 'yaml';
import { parseDesign } from '../model/parse';

export interface ExportFile {
  name: string;
  text: string;
}

const safe = (s: string) =>
  s
    .replace(/[^A-Za-z0-9._-]+|\.{2,}|^\./g, '_')
    .replace(/_+/g, '_') || '_';

/** The resources of a design as separate files, in document order. */
export function resourceFiles(text: string): ExportFile[] {
  const parsed = parseDesign(text, { validate: false });
  const docs = parsed.documents;
  const byDoc = new Map<number, number>();
  for (const r of parsed.model.resources) byDoc.set(r.doc, (byDoc.get(r.doc) ?? 0) + 1);
  const used = new Map<string, number>();
  const files: ExportFile[] = [];
  for (const r of parsed.model.resources) {
    const base = [r.kind.toLowerCase(), ...(r.namespace ? [r.namespace] : []), r.name].map(safe).join('-');
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    const name = `${base}${n > 1 ? `-${n}` : ''}.yaml`;
    let body: string;
    if (byDoc.get(r.doc) === 1 && r.base.length === 0) {
      // The document as written: from its start to the next document's start, without the `---` marker.
      const from = r.doc === 0 ? 0 : docs[r.doc].from;
      const to = r.doc + 1 < docs.length ? docs[r.doc + 1].from : text.length;
      body = text.slice(from, to).replace(/^(\s*---[^\n]*\n)+/, '').replace(/\n---[ \t]*\n?\s*$/, '\n');
      if (!body.endsWith('\n')) body += '\n';
    } else body = stringify(r.object);
    files.push({ name, text: body });
  }
  return files;
}

/** A zip of the files (fixed timestamps: the same design gives the same bytes). */
export function zipFiles(files: ExportFile[]): Uint8Array {
  const enc = new TextEncoder();
  const mtime = new Date(2024, 0, 1);
  return zipSync(Object.fromEntries(files.map((f) => [f.name, [enc.encode(f.text), { mtime }]])), { level: 6 });
}
