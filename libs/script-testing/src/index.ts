export { RunScriptTestUseCase } from './run-script-test.use-case';
export { ScriptTestingModule } from './script-testing.module';
