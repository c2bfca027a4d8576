import { Module } from '@nestjs/common';
import { ProjectionRunnerService } from './projection-runner.service';
import { StoresModule } from './stores.module';

/** ProjectorModule is the projector process: stores from the environment, and the projection runner. */
@Module({
  imports: [StoresModule],
  providers: [ProjectionRunnerService],
})
export class ProjectorModule {}
