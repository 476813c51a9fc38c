/** Send one request through the routing engine (in its worker) and keep the trace for the canvas and the panel. */
import type { RequestInput } from '../engine/types';
import { toForm } from '../sim/requestForm';
import { traceRequest } from '../worker/engineClient';
import { useStore } from './store';

let seed = 1;

export async function sendRequest(input: RequestInput) {
  const { resources } = useStore.getState();
  useStore.setState({ tracing: true, traceError: undefined });
  try {
    const trace = await traceRequest(resources, input, seed++);
    if (trace) useStore.setState({ traced: { input, trace, resources }, tracing: false });
  } catch (e) {
    useStore.setState({ traceError: (e as Error).message, tracing: false });
  }
}

export function clearTrace() {
  useStore.setState({ traced: undefined, traceError: undefined });
}

/** Shows a request in the request form (the panel opens on it) and sends it: the trace appears under the form. */
export function fillAndSend(input: RequestInput) {
  useStore.setState({ requestForm: toForm(input), drawer: 'request' });
  return sendRequest(input);
}
