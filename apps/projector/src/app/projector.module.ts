import { Module } from '@nestjs/common';
import { BusPublisherService } from './bus-publisher.service';
import { ProjectionRunnerService } from './projection-runner.service';
import { StoresModule } from './stores.module';

/** ProjectorModule is the projector process: stores from the environment, the projection runner and the NATS publisher. */
@Module({
  imports: [StoresModule],
  providers: [ProjectionRunnerService, BusPublisherService],
})
export class ProjectorModule {}
