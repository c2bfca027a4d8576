import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { ReadSide } from '../platform/read-side';
import { ApiAnswer } from '../platform/openapi';
import { SetupState } from '@portcullis/contracts';

/**
 * SetupController is GET /api/v1/meta/setup, open to anyone: the sign-in page needs it before anyone is
 * signed in. It says only whether things exist, never what they are (no names, no counts).
 */
@ApiTags('meta')
@Controller('v1/meta')
export class SetupController {
  constructor(
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('setup')
  @ApiOperation({ summary: 'First-run state (no auth): do users and a registry exist; anonymous browsing; LDAP' })
  @ApiAnswer(200, SetupState, 'The first-run state')
  async setup(): Promise<SetupState> {
    const [users, registries] = await Promise.all([this.read.countUsers(), this.read.registries()]);
    return {
      users: users > 0,
      registry: registries.length > 0,
      anonymous_browsing: this.config.anonymousBrowsing,
      ldap: this.config.ldap !== null,
    };
  }
}
