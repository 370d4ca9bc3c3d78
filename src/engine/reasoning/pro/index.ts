/**
 * Pro: N parallel samples of a turn, then selection (majority vote over normalised short answers,
 * a configured verifier, or a judge-and-synthesis pass by the model). See docs/reasoning.md.
 */
export { answerKey, extractAnswer, normaliseAnswer } from './answer.js';
export { judgeMessages, parseJudgeChoice, type CandidateView } from './judge.js';
export { runSamples, type RunSamplesOptions, type SampleOutcome } from './samples.js';
export { selectCandidate, voteIsDecided, type Candidate, type Selection, type SelectOptions } from './select.js';
export { candidateCode, runVerifier, type Verdict, type VerifierConfig } from './verifier.js';
export { pluralityVote, type VoteResult } from './vote.js';
