import { backendConformance, type BackendHarness, type ConformanceScenario } from '../conformance.js';
import { createScriptedBackend, type ScriptedTurn } from './index.js';

/** Plays a scenario as a scripted turn (the test double must behave like a real backend). */
function turn(scenario: ConformanceScenario): ScriptedTurn {
  switch (scenario.kind) {
    case 'text':
      return { text: scenario.chunks.join(''), chunkSize: 3, usage: scenario.usage };
    case 'tool-call':
      return { text: scenario.text, toolCalls: [{ name: scenario.name, callId: scenario.callId, arguments: scenario.argumentChunks.join('') }] };
    case 'length':
      return { text: scenario.chunks.join(''), finishReason: 'length' };
    case 'rate-limited':
      return { error: { status: 429, message: scenario.message, retryAfter: scenario.retryAfter } };
    case 'server-error':
      return { error: { status: 500, message: scenario.message } };
    case 'hang':
      return { text: `${scenario.chunks.join('')} and then a great deal more that is never read`, chunkSize: scenario.chunks.join('').length, delayMs: 20 };
  }
}

backendConformance('scripted', (): BackendHarness => ({ play: (scenario) => createScriptedBackend({ script: [turn(scenario)] }) }));
