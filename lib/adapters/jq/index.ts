export { JqError, JqRunner } from './jq-runner';
