/** Loads YAML design files into one model, reporting unreadable files and YAML errors by file and line. */
import { readFileSync } from 'node:fs';
import { buildModel, type MeshModel } from '../model/model';
import { parseDesign } from '../model/parse';
import type { Diagnostic, Resource } from '../model/resource';

export class InputError extends Error {}

export interface LoadedDesign {
  model: MeshModel;
  warnings: string[];
}

const where = (file: string, d: Diagnostic) => `${file}:${d.range.line}:${d.range.column}`;

export function loadDesign(files: readonly string[]): LoadedDesign {
  if (files.length === 0) throw new InputError('no design file given (meshcraft trace FILE.yaml… --request JSON)');
  const resources: Resource[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
    }
    const parsed = parseDesign(text);
    const errors = parsed.diagnostics.filter((d) => d.source === 'yaml' && d.severity === 'error');
    if (errors.length) throw new InputError(errors.map((d) => `${where(file, d)}: YAML error: ${d.message}`).join('\n'));
    for (const d of parsed.diagnostics) if (d.severity !== 'info') warnings.push(`${where(file, d)}: ${d.severity}: ${d.message}`);
    resources.push(...parsed.model.resources);
  }
  return { model: buildModel(resources), warnings };
}
