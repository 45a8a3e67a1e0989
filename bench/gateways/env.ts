// What a bench gateway child is told: the city, its casework endpoint, and
// where the network's keys and file are.
import { isMunicipalityCode } from '../../schema/contract/municipality';

export function childEnv(env = process.env) {
  const {
    BENCH_CITY: city,
    BENCH_CASEWORK_URL: caseworkUrl,
    KEYS_DIR: keysDir,
    NETWORK_FILE: networkFile,
  } = env;
  if (!isMunicipalityCode(city) || !caseworkUrl || !keysDir || !networkFile)
    throw new Error('BENCH_CITY, BENCH_CASEWORK_URL, KEYS_DIR and NETWORK_FILE are required');
  return { city, caseworkUrl, keysDir, networkFile };
}
