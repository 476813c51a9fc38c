/**
 * User-level commands (what the canvas and the inspector ask for) → model patches, with a one-line description
 * for the "every action explains itself" toast. Pure functions of (model, command).
 */
import type { MeshModel } from '../model';
import { connectCommand, type ConnectCommand } from './cmd/connect';
import { pasteCommand, type PasteCommand } from './cmd/duplicate';
import { routeCommand, type RouteCommand } from './cmd/routes';
import { inspectCommand, INSPECT_TYPES, type InspectCommand } from './cmd/inspect';
import { resourceCommand, type ResourceCommand } from './cmd/services';
import type { CommandResult } from './cmd/util';

export type Command = ResourceCommand | RouteCommand | ConnectCommand | PasteCommand | InspectCommand;
export type { CommandResult };
export type { RouteCommand, RuleField, PolicyField, TlsMode } from './cmd/routes';
export type { ResourceCommand, PeerAuthenticationMode } from './cmd/services';
export type { ConnectCommand, EgressOptions, Endpoint } from './cmd/connect';
export type { InspectCommand } from './cmd/inspect';
export type { RuleRef, RouteProtocol, Destination } from './cmd/util';

const ROUTE_TYPES: ReadonlySet<string> = new Set<RouteCommand['type']>([
  'addRoute', 'removeRoute', 'moveRoute', 'setMatches', 'addDestination', 'removeDestination', 'setWeights', 'setRuleField',
  'addSubset', 'removeSubset', 'setPolicy', 'setTlsMode',
]);

/** The patches a command stands for, and what it does in one line; or why it cannot be done. */
export function commandPatches(model: MeshModel, command: Command): CommandResult {
  if (command.type === 'connect' || command.type === 'addClient') return connectCommand(model, command);
  if (command.type === 'paste') return pasteCommand(model, command);
  if (INSPECT_TYPES.has(command.type)) return inspectCommand(model, command as InspectCommand);
  return ROUTE_TYPES.has(command.type) ? routeCommand(model, command as RouteCommand) : resourceCommand(model, command as ResourceCommand);
}
