/**
 * UI state of the teaching and sharing features: which of their dialogs is open, a one-line notice (a rejected share
 * link, a copied link…), and the example whose explanation is shown over the canvas.
 */
import { create } from 'zustand';
import { exampleById } from '../examples';
import { useStore } from './store';

export type ShareDialog = 'examples' | 'share' | 'open-url' | 'designs' | null;

export interface Notice {
  text: string;
  level: 'info' | 'error';
}

interface ShareUiState {
  dialog: ShareDialog;
  notice?: Notice;
  /** The example last loaded, while its note is shown. */
  exampleId?: string;
}

export const useShareUi = create<ShareUiState>()(() => ({ dialog: null }));

export const openDialog = (dialog: ShareDialog) => useShareUi.setState({ dialog });
export const closeDialog = () => useShareUi.setState({ dialog: null });
export const notify = (text: string, level: Notice['level'] = 'info') => useShareUi.setState({ notice: { text, level } });
export const clearNotice = () => useShareUi.setState({ notice: undefined });
export const dismissExample = () => useShareUi.setState({ exampleId: undefined });

/** Replace the design with an example (one undo step) and show what it is about (unless a lesson does). */
export function loadExample(id: string, { note = true } = {}) {
  const example = exampleById(id);
  if (!example) return;
  const s = useStore.getState();
  s.resetLayout();
  s.setText(example.text, 'load');
  useShareUi.setState({ exampleId: note ? id : undefined, dialog: null });
}
