import { BenchSizes } from './bench-options';
import { BenchEnvironment } from './environment';
import { CrossProcessOutcome } from './scenarios/cross-process';
import { EncryptionOverheadResult } from './scenarios/encryption';
import { MemoryResult } from './scenarios/memory';
import { OverheadRow } from './scenarios/overhead';
import { TokenCountRow } from './scenarios/token-count';
import { WrongSecretResult } from './scenarios/wrong-secret';

/** Everything one run measured; written as JSON for the smoke spec and rendered as Markdown. */
export interface BenchResults {
  smoke: boolean;
  environment: BenchEnvironment;
  sizes: BenchSizes;
  overhead: OverheadRow[];
  herd: TokenCountRow;
  storm: TokenCountRow;
  crossProcess: CrossProcessOutcome;
  /** One run per transport. */
  memory: MemoryResult[];
  encryption: EncryptionOverheadResult;
  wrongSecret: WrongSecretResult;
  durationSeconds: number;
}
