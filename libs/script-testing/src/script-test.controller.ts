import { Body, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { AdminController, ApiErrorSchema, CallerToken, ParseIdPipe, RequireRole, type Caller } from '@hookline/admin';
import { ScriptTestResultResponse, TestScriptDto } from './dto/test-script.dto';
import { ScriptTestService } from './script-test.service';

const SUMMARY =
  ' against a stored message (`messageId`, needs `details`) or a made-up `request`, in the real sandbox: ' +
  'its result, LOG lines, error with line and column, and the side effects it would perform (not performed)';

@AdminController('providers')
export class ProviderScriptTestController {
  constructor(private readonly tests: ScriptTestService) {}

  @Post(':id/test')
  @HttpCode(HttpStatus.OK)
  @RequireRole('admin')
  @ApiOperation({ summary: `Run the provider's match script, or \`script\` in its place,${SUMMARY}` })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The provider id' })
  @ApiOkResponse({ type: ScriptTestResultResponse })
  @ApiBadRequestResponse({
    description: '`script` does not parse (`script_syntax_error` with line and column), or a field is not valid.',
    type: ApiErrorSchema,
  })
  @ApiNotFoundResponse({ description: 'No such provider or message.', type: ApiErrorSchema })
  test(
    @Param('id', new ParseIdPipe('provider')) id: string,
    @Body() dto: TestScriptDto,
    @CallerToken() caller: Caller,
  ): Promise<ScriptTestResultResponse> {
    return this.tests.testProvider(id, dto, caller);
  }
}

@AdminController('functions')
export class FunctionScriptTestController {
  constructor(private readonly tests: ScriptTestService) {}

  @Post(':id/test')
  @HttpCode(HttpStatus.OK)
  @RequireRole('admin')
  @ApiOperation({ summary: `Run the function's script, or \`script\` in its place,${SUMMARY}` })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The function id' })
  @ApiOkResponse({ type: ScriptTestResultResponse })
  @ApiBadRequestResponse({
    description: '`script` does not parse (`script_syntax_error` with line and column), or a field is not valid.',
    type: ApiErrorSchema,
  })
  @ApiNotFoundResponse({ description: 'No such function or message.', type: ApiErrorSchema })
  test(
    @Param('id', new ParseIdPipe('function')) id: string,
    @Body() dto: TestScriptDto,
    @CallerToken() caller: Caller,
  ): Promise<ScriptTestResultResponse> {
    return this.tests.testFunction(id, dto, caller);
  }
}
