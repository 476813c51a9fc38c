/** Two-way sync, model side: commands → patches → the smallest YAML text edits. */
export { applyPatches, designIndex, type DesignIndex, type SpliceResult } from './splice';
export { applyPatchesToResources, keyOf, type Patch, type PlainResource } from './patch';
export { applyEdits, invertEdits, type TextEdit } from './textedit';
export { commandPatches, type Command, type CommandResult, type Destination, type InspectCommand, type PeerAuthenticationMode, type PolicyField, type ResourceCommand, type ConnectCommand, type EgressOptions, type Endpoint, type RouteCommand, type RouteProtocol, type RuleField, type RuleRef, type TlsMode } from './commands';
