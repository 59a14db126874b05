import { applyDecorators, Body, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiGatewayTimeoutResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import { AdminController } from '../admin-controller.decorator';
import { CallerToken } from '../auth/caller.decorator';
import type { Caller } from '../auth/admin-token.guard';
import { RequireRole } from '../auth/require-role.decorator';
import { ApiErrorBody } from '../errors/api-error';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { ScriptTestResultResponse, TestScriptDto } from './dto/test-script.dto';
import { ScriptTestsService } from './script-tests.service';

const SUMMARY =
  ' against a stored message (`messageId`, needs `details`) or a made-up `request`, in the real sandbox: ' +
  'its result, LOG lines, error with line and column, and the side effects it would perform (not performed)';

const DESCRIPTION =
  'An executor runs it (over the `hookline.script-tests.v1` topic), with the real limits and the ' +
  "provider's real properties; nothing is stored, published or requested.";

/** What both routes answer: the result, or a script that does not parse, an unknown id, no executor in time. */
const ScriptTestResponses = (kind: string) =>
  applyDecorators(
    ApiOkResponse({ type: ScriptTestResultResponse }),
    ApiBadRequestResponse({
      description: '`script` does not parse (`script_syntax_error` with line and column), or a field is not valid.',
      type: ApiErrorBody,
    }),
    ApiNotFoundResponse({ description: `No such ${kind} or message.`, type: ApiErrorBody }),
    ApiServiceUnavailableResponse({
      description: 'The test could not be handed to the executors (`script_tests_unavailable`: the broker failed).',
      type: ApiErrorBody,
    }),
    ApiGatewayTimeoutResponse({
      description: 'No executor answered in time (`script_test_timeout`): none is running, or all are busy.',
      type: ApiErrorBody,
    }),
  );

@AdminController('providers')
export class ProviderScriptTestController {
  constructor(private readonly tests: ScriptTestsService) {}

  @Post(':id/test')
  @HttpCode(HttpStatus.OK)
  @RequireRole('admin')
  @ApiOperation({
    summary: `Run the provider's match script, or \`script\` in its place,${SUMMARY}`,
    description: DESCRIPTION,
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The provider id' })
  @ScriptTestResponses('provider')
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
  constructor(private readonly tests: ScriptTestsService) {}

  @Post(':id/test')
  @HttpCode(HttpStatus.OK)
  @RequireRole('admin')
  @ApiOperation({
    summary: `Run the function's script, or \`script\` in its place,${SUMMARY}`,
    description: DESCRIPTION,
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The function id' })
  @ScriptTestResponses('function')
  test(
    @Param('id', new ParseIdPipe('function')) id: string,
    @Body() dto: TestScriptDto,
    @CallerToken() caller: Caller,
  ): Promise<ScriptTestResultResponse> {
    return this.tests.testFunction(id, dto, caller);
  }
}
