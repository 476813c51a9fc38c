import { useCallback, useEffect, useState } from 'react';
import { pasteIfCopied } from '../canvas/useDesigner';
import { joinFiles, prepareImport, type ImportCandidate } from '../store/importDesign';

const YAML_FILE = /\.(ya?ml|json)$/i;

/** Paste anywhere outside the editor, drop files on the window, or open files: each offers an import. */
export function useImport() {
  const [candidate, setCandidate] = useState<ImportCandidate>();
  const [dragging, setDragging] = useState(false);

  const offer = useCallback(async (text: string, source: string) => {
    if (!text.trim()) return;
    const c = await prepareImport(text, source);
    if (c) setCandidate(c);
  }, []);

  const openFiles = useCallback(
    async (files: FileList | File[]) => {
      const list = [...files].filter((f) => YAML_FILE.test(f.name) || f.type.includes('yaml'));
      if (!list.length) return;
      const texts = await Promise.all(list.map((f) => f.text()));
      await offer(joinFiles(texts), list.map((f) => f.name).join(', '));
    },
    [offer],
  );

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('.monaco-editor, input, textarea, [contenteditable="true"]')) return;
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (!text.trim()) return;
      e.preventDefault();
      if (pasteIfCopied(text)) return; // the canvas's own copy: a renamed twin, no import dialog
      void offer(text, 'the clipboard');
    };
    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const onDragOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(true);
    };
    const onDragLeave = (e: DragEvent) => {
      if (!e.relatedTarget) setDragging(false);
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(false);
      if (e.dataTransfer?.files) void openFiles(e.dataTransfer.files);
    };
    window.addEventListener('paste', onPaste);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('paste', onPaste);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [offer, openFiles]);

  return { candidate, close: () => setCandidate(undefined), openFiles, dragging };
}
