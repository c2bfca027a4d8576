import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { starDecider, starStreamId, type ActorRef } from '@portcullis/domain';
import { EventSourcing } from '../platform/event-sourcing';

/** ChangeStarCommand stars or unstars a repository for the acting user. */
export class ChangeStarCommand extends Command<{ position: bigint | null }> {
  constructor(
    readonly actor: ActorRef,
    readonly repositoryId: number,
    readonly starred: boolean,
  ) {
    super();
  }
}

/** ChangeStarHandler runs the star decider on the user's stars stream; a repeat records nothing. */
@CommandHandler(ChangeStarCommand)
export class ChangeStarHandler implements ICommandHandler<ChangeStarCommand> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ actor, repositoryId, starred }: ChangeStarCommand) {
    const out = await this.es.handle(
      starDecider,
      starStreamId(actor.id),
      {
        type: starred ? 'StarRepository' : 'UnstarRepository',
        data: { userId: actor.id, repositoryId },
        metadata: this.es.metadataFor(actor),
      },
      // Safe to re-decide: the same user's double click is the only possible concurrent writer.
      { retryOnConflict: true },
    );
    return { position: out.position };
  }
}
