/** Panels over the canvas: find a node, the legend, and the keyboard help. */
import { Panel, useReactFlow } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '../store/store';
import { BADGE_INFO, KindIcon } from './icons';
import type { Badge, NodeKind } from '../graph/types';

export function FindNode({ open, onClose }: { open: boolean; onClose(): void }) {
  const graph = useStore((s) => s.graph);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const { fitView } = useReactFlow();
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    return graph.nodes.filter((n) => n.label.toLowerCase().includes(q)).slice(0, 8);
  }, [graph, query]);
  if (!open) return null;
  const go = (i: number) => {
    const n = matches[i];
    if (!n) return;
    useStore.getState().select({ kind: 'node', id: n.id });
    void fitView({ includeHiddenNodes: true, nodes: [{ id: n.id }], padding: 0.8, duration: 250, maxZoom: 1.4 });
    onClose();
  };
  return (
    <Panel position="top-center" className="find-panel">
      <input
        ref={input}
        type="search"
        role="combobox"
        aria-expanded={matches.length > 0}
        aria-controls="find-results"
        aria-label="Find a node"
        placeholder="Find a node…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, matches.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter') go(active);
          else return;
          e.preventDefault();
        }}
      />
      {matches.length ? (
        <ul id="find-results" role="listbox" aria-label="Matching nodes">
          {matches.map((n, i) => (
            <li key={n.id} role="option" aria-selected={i === active} onMouseDown={(e) => (e.preventDefault(), go(i))}>
              {n.label}
            </li>
          ))}
        </ul>
      ) : query ? (
        <div className="find-empty">No node matches “{query}”.</div>
      ) : null}
    </Panel>
  );
}

const SHAPES: [NodeKind, string][] = [
  ['ingress', 'Ingress gateway'],
  ['egress', 'Egress gateway'],
  ['service', 'Service (a box holds its subsets)'],
  ['subset', 'Subset (version)'],
  ['external', 'External service (ServiceEntry)'],
  ['client', 'Client workload'],
  ['mesh', 'All sidecars (mesh)'],
  ['namespace', 'A collapsed namespace (double-click to expand)'],
];

export function Legend({ onClose }: { onClose(): void }) {
  return (
    <Panel position="top-right" className="legend" aria-label="Legend">
      <div className="legend-head">
        <strong>Legend</strong>
        <button type="button" aria-label="Close legend" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="legend-section">Nodes</div>
      <ul>
        {SHAPES.map(([kind, text]) => (
          <li key={kind} className={`legend-shape kind-${kind}`}>
            <KindIcon kind={kind} /> {text}
          </li>
        ))}
        <li>
          <span className="legend-dashed" /> Dashed: referenced, not defined in the design
        </li>
      </ul>
      <div className="legend-section">Routes</div>
      <ul>
        <li>
          <span className="legend-chip">
            uri ^ /v1 <b>90%</b>
          </span>{' '}
          match and share of the rule's traffic
        </li>
        <li>
          <span className="legend-line entry" /> gateway entry · <span className="legend-line mirror" /> mirror
        </li>
      </ul>
      <div className="legend-section">Badges</div>
      <ul className="legend-badges">
        {(Object.keys(BADGE_INFO) as Badge[]).map((b) => (
          <li key={b}>
            <span className={`badge badge-${b}`}>{BADGE_INFO[b].text}</span> {BADGE_INFO[b].title}
          </li>
        ))}
      </ul>
    </Panel>
  );
}

const SHORTCUTS: [string, string][] = [
  ['/', 'Find a node'],
  ['F', 'Fit the whole mesh in view'],
  ['L', 'Show or hide the legend'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'Undo / redo (canvas and editor share one history)'],
  ['Delete', 'Delete the selected nodes or route (one undo step)'],
  ['Ctrl+C / Ctrl+V', 'Copy the selected nodes; paste a renamed twin (or paste YAML to import it)'],
  ['Ctrl+D', 'Duplicate the selected nodes'],
  ['Shift+click, Shift+drag', 'Select several nodes'],
  ['Drag handle → node', 'Connect: gateway → service, caller → service, caller → external service'],
  ['Right-click', 'Actions for a node, a route or the canvas'],
  ['Tab, Enter', 'Move between nodes, select one'],
  ['?', 'This help'],
];

export function ShortcutHelp({ onClose }: { onClose(): void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="help-title" onKeyDown={(e) => (e.key === 'Escape' || e.key === '?') && onClose()}>
        <h2 id="help-title">Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map(([k, what]) => (
              <tr key={k}>
                <th scope="row">
                  <kbd>{k}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="modal-actions">
          <button type="button" ref={close} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
