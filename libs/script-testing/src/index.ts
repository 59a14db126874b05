export { ScriptTestingModule } from './script-testing.module';
