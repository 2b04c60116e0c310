import { installKafka, isKafkaInstalled, MissingToolError } from './local-broker';

/** `npm run kafka:install`: download the broker now (CI does this before the tests). */
try {
  installKafka();
  console.log(isKafkaInstalled() ? 'kafka: installed in .kafka/libs' : 'kafka: not installed');
} catch (error) {
  console.error(error instanceof MissingToolError ? error.message : String(error));
  process.exit(1);
}
