import type { Command } from 'commander';
import { registerTrainSentiment } from '../../nlp/sentiment/train.ts';
import { getTrainCommand } from './train.ts';

/** Registers `yiwang train sentiment` (the trainer itself loads only when the command runs). */
export function register(program: Command): void {
  registerTrainSentiment(getTrainCommand(program));
}
