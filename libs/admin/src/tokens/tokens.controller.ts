import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import { AdminController } from '../admin-controller.decorator';
import { RequireRole } from '../auth/require-role.decorator';
import { TokenName } from '../auth/token-name.decorator';
import { ApiErrorBody } from '../errors/api-error';
import { ParseIdPipe } from '../validation/parse-id.pipe';
import { CreateTokenDto } from './dto/create-token.dto';
import { CreatedTokenResponse, TokenResponse } from './dto/token-response.dto';
import { TokensService } from './tokens.service';

@AdminController('tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @RequireRole('admin')
  @ApiOperation({ summary: 'Create an API token; its secret is in this answer only' })
  @ApiCreatedResponse({ type: CreatedTokenResponse })
  @ApiBadRequestResponse({ description: 'A field is not valid; `field` names it.', type: ApiErrorBody })
  @ApiConflictResponse({ description: 'Another token has this name (`name_taken`).', type: ApiErrorBody })
  create(@Body() dto: CreateTokenDto, @TokenName() tokenName: string): Promise<CreatedTokenResponse> {
    return this.tokens.create(dto, tokenName);
  }

  @Get()
  @RequireRole('admin')
  @ApiOperation({ summary: 'List API tokens, oldest first, without their secrets (ADMIN_TOKEN is not listed)' })
  @ApiOkResponse({ type: [TokenResponse] })
  list(): Promise<TokenResponse[]> {
    return this.tokens.list();
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequireRole('admin')
  @ApiOperation({ summary: 'Revoke an API token: it stops working at once' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The token id' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFoundResponse({ description: 'No such token.', type: ApiErrorBody })
  remove(@Param('id', new ParseIdPipe('token')) id: string, @TokenName() tokenName: string): Promise<void> {
    return this.tokens.remove(id, tokenName);
  }
}
