import type { ConfigFile, ModelComputerSettings } from '../../../config/schema.js';
import type { Size } from '../../../computer/types.js';

/** Engine-wide computer-use settings with their defaults filled in. */
export interface ComputerSettings {
  keepScreenshots: number;
  pruneChunk: number;
  idleTimeoutMs: number;
  maxSessionsPerKey: number;
  approvalTimeoutMs: number;
  network: {
    allowedDomains: string[];
    blockedDomains: string[];
    allowLoopback: boolean;
    allowPrivateNetwork: boolean;
    allowFileUrls: boolean;
  };
  record: boolean;
  display: Size;
}

/**
 * Reads `computer` from the config file.
 *
 * @example computerSettings({}).keepScreenshots // 3
 */
export function computerSettings(config: ConfigFile): ComputerSettings {
  const c = config.computer ?? {};
  const keepScreenshots = c.keepScreenshots ?? 3;
  return {
    keepScreenshots,
    pruneChunk: c.pruneChunk ?? 3,
    idleTimeoutMs: c.idleTimeoutMs ?? 600_000,
    maxSessionsPerKey: c.maxSessionsPerKey ?? 3,
    approvalTimeoutMs: c.approvalTimeoutMs ?? 600_000,
    network: {
      allowedDomains: c.network?.allowedDomains ?? [],
      blockedDomains: c.network?.blockedDomains ?? [],
      allowLoopback: c.network?.allowLoopback ?? false,
      allowPrivateNetwork: c.network?.allowPrivateNetwork ?? false,
      allowFileUrls: c.network?.allowFileUrls ?? false,
    },
    record: c.record ?? true,
    display: c.display ?? { width: 1024, height: 768 },
  };
}

/** A model's computer settings from `models.<name>.computer` (empty when not configured). */
export function modelComputerSettings(config: ConfigFile, publicName: string): ModelComputerSettings {
  return config.models?.[publicName]?.computer ?? {};
}
