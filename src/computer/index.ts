/**
 * Kestrel's computer-use runtime, usable on its own (`import { … } from 'kestrel/computer'`): a `Computer` for a
 * browser (playwright-core + system Chromium) or a Linux desktop (Xvfb + openbox + xdotool), the CUA action
 * vocabulary and key map, coordinate scaling, settling without sleeps, safety (network policy, safety checks),
 * recording and replay, and a client loop for any Responses endpoint.
 */
export type { BrowserControls, Computer, ComputerAction, ComputerActionType, ComputerEvent, ImageFormat, MouseButton, Point, Screenshot, ScreenshotOptions, Size } from './types.js';
export { ComputerActionError, ComputerSetupError } from './errors.js';
export { actionsOfCall, describeAction, parseAction } from './actions.js';
export { mapKey, mapKeys, mapModifiers, type MappedKey } from './keys.js';
export { CoordinateSpace, type CoordinateSpaceOptions } from './coordinates.js';
export { performAction, hasBrowserControls } from './perform.js';
export { ComputerSession, isInspectable, type BatchResult, type ComputerSessionOptions, type InspectableComputer } from './session.js';
export { BrowserComputer, DEFAULT_SETTLE, type BrowserComputerOptions, type ElementTarget, type Mark, type SettleOptions } from './browser/browser-computer.js';
export { CHROMIUM_ARGS, DEFAULT_CHROMIUM, chromiumPath, launchChromium, type LaunchOptions } from './browser/launch.js';
export type { ElementInfo } from './browser/page-scripts.js';
export { DesktopComputer, PIXELS_PER_NOTCH, type DesktopComputerOptions } from './desktop/desktop-computer.js';
export { startVirtualDisplay, type VirtualDisplay } from './desktop/virtual-display.js';
export { UrlPolicy, matchesDomain, type UrlPolicyOptions, type UrlVerdict, type BlockReason } from './safety/url-policy.js';
export { addressScope, type AddressScope } from './safety/ip-ranges.js';
export { FilterProxy, type BlockedRequest } from './safety/filter-proxy.js';
export { SafetyMonitor, awaitApproval, type SafetyCheck, type SafetyCheckCode, type SafetyOptions } from './safety/monitor.js';
export { detectInjectedInstructions, type InjectionFinding } from './safety/injection.js';
export { classifySensitiveAction, type SensitiveFinding, type SensitiveKind } from './safety/sensitive-action.js';
export { TrajectoryRecorder, readTrajectory } from './recording/recorder.js';
export { replayTrajectory, type ReplayOptions, type ReplayReport, type ReplayStep } from './recording/replay.js';
export type { BatchRecord, NavigationAction, RecordedAction, RecordedTarget, SessionAction, SessionRecord, TrajectoryRecord } from './recording/trajectory.js';
