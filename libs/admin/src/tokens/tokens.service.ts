import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { createLogger } from '@hookline/config';
import { ApiTokenStore } from '@hookline/persistence';
import { writeAudit } from '../audit/audit-trail';
import { ADMIN_TOKEN_NAME } from '../auth/admin-token.guard';
import { newTokenSecret, secretSha256 } from '../auth/token-secret';
import { isUniqueViolation } from '../config-change';
import { ConflictError, NotFoundError } from '../errors/api-error';
import type { CreateTokenDto } from './dto/create-token.dto';
import { toTokenResponse, type CreatedTokenResponse, type TokenResponse } from './dto/token-response.dto';

/** API tokens: created with a secret shown once, listed without it, deleted to revoke. Audited. */
@Injectable()
export class TokensService {
  private readonly log = createLogger('admin-api');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly tokens: ApiTokenStore,
  ) {}

  async create(dto: CreateTokenDto, tokenName: string): Promise<CreatedTokenResponse> {
    // ADMIN_TOKEN acts as `admin`: another token of that name would make the audit log ambiguous.
    if (dto.name.toLowerCase() === ADMIN_TOKEN_NAME) {
      throw new ConflictError('name_taken', `'${ADMIN_TOKEN_NAME}' is the name of ADMIN_TOKEN; choose another`, 'name');
    }
    const secret = newTokenSecret();
    let created: TokenResponse;
    try {
      created = await this.db.transaction(async (tx) => {
        const token = toTokenResponse(
          await this.tokens.create(
            {
              id: uuidv7(),
              name: dto.name,
              role: dto.role,
              details: dto.details ?? false,
              secretSha256: secretSha256(secret),
              createdBy: tokenName,
            },
            tx,
          ),
        );
        await writeAudit(tx, tokenName, {
          action: 'token.create',
          targetType: 'token',
          targetId: token.id,
          before: null,
          after: token,
        });
        return token;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'api_tokens_name_unique')) {
        throw new ConflictError('name_taken', `a token named '${dto.name}' already exists`, 'name');
      }
      throw error;
    }
    this.log.info({ tokenId: created.id, name: created.name, role: created.role, by: tokenName }, 'token created');
    return { ...created, secret };
  }

  async list(): Promise<TokenResponse[]> {
    return (await this.tokens.list()).map(toTokenResponse);
  }

  /** The token stops working at once: every request looks its token up. */
  async remove(id: string, tokenName: string): Promise<void> {
    const deleted = await this.db.transaction(async (tx) => {
      const token = await this.tokens.delete(id, tx);
      if (!token) throw new NotFoundError('token', id);
      await writeAudit(tx, tokenName, {
        action: 'token.delete',
        targetType: 'token',
        targetId: id,
        before: toTokenResponse(token),
        after: null,
      });
      return token;
    });
    this.log.info({ tokenId: id, name: deleted.name, by: tokenName }, 'token deleted');
  }
}
