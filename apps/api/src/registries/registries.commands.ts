import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  notFound,
  registryDecider,
  registryStreamId,
  validation,
  type ActorRef,
  type RegistryCommand,
} from '@portcullis/domain';
import { EventSourcing } from '../platform/event-sourcing';
import { ReadSide } from '../platform/read-side';
import {
  ProvisionGlobalNamespaceCommand,
  ProvisionPersonalNamespaceCommand,
} from '../provisioning/provisioning.commands';
import type { Done } from '../platform/event-sourcing';
import { checkReachable } from './reachability';

/** RegistryInput is a registry's fields as the API takes them. */
export interface RegistryInput {
  name: string;
  hostname: string;
  useSsl: boolean;
  externalHostname: string | null;
}

/** CreateRegistryCommand creates the (single) registry with its global and personal namespaces. */
export class CreateRegistryCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly registry: RegistryInput,
    readonly force: boolean,
  ) {
    super();
  }
}

/** UpdateRegistryCommand changes a registry; the hostname is locked once repositories exist. */
export class UpdateRegistryCommand extends Command<Done> {
  constructor(
    readonly actor: ActorRef,
    readonly id: number,
    readonly changes: Partial<RegistryInput>,
    readonly force: boolean,
  ) {
    super();
  }
}

async function assertReachable(hostname: string, useSsl: boolean) {
  const probe = await checkReachable(hostname, useSsl);
  if (!probe.reachable)
    throw validation(
      'REGISTRY.UNREACHABLE',
      `registry is not reachable: ${probe.reason} (pass force=true to skip this check)`,
      'hostname',
    );
}

@CommandHandler(CreateRegistryCommand)
export class CreateRegistryHandler implements ICommandHandler<CreateRegistryCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
    private readonly commands: CommandBus,
  ) {}

  async execute({ actor, registry, force }: CreateRegistryCommand): Promise<Done> {
    const meta = this.es.metadataFor(actor);
    const existing = (await this.read.registries()).length;
    const build = (id: number): RegistryCommand => ({
      type: 'CreateRegistry',
      data: { id, ...registry, existingRegistries: existing },
      metadata: meta,
    });
    registryDecider.decide(build(0), registryDecider.initialState());
    if (!force) await assertReachable(registry.hostname, registry.useSsl);
    // Portus allows one registry; the singleton reservation makes that hold across replicas.
    const created = await this.es.create(registryDecider, 'registry', registryStreamId, build, [
      ['registry', 'singleton'],
    ]);
    const id = created.id;
    let position: bigint | null = created.position;
    const users = await this.read.allUserIds();
    const admins = users.filter((u) => u['admin'] === true && u['enabled'] === true).map((u) => u['id'] as number);
    position = (await this.commands.execute(new ProvisionGlobalNamespaceCommand(id, admins, meta))) ?? position;
    for (const u of users) {
      if (u['bot'] === true) continue;
      const user = { id: u['id'] as number, username: u['username'] as string };
      position = (await this.commands.execute(new ProvisionPersonalNamespaceCommand(user, id, meta))) ?? position;
    }
    return { id, position };
  }
}

@CommandHandler(UpdateRegistryCommand)
export class UpdateRegistryHandler implements ICommandHandler<UpdateRegistryCommand> {
  constructor(
    private readonly es: EventSourcing,
    private readonly read: ReadSide,
  ) {}

  async execute({ actor, id, changes, force }: UpdateRegistryCommand): Promise<Done> {
    const stream = registryStreamId(id);
    const loaded = await this.es.load(registryDecider, stream);
    if (!loaded.state.exists) throw notFound('REGISTRY.NOT_FOUND', 'registry not found');
    const command: RegistryCommand = {
      type: 'UpdateRegistry',
      data: { ...changes, hasRepositories: (await this.read.repositoryCount(id)) > 0 },
      metadata: this.es.metadataFor(actor),
    };
    const events = registryDecider.decide(command, loaded.state);
    if (events.length && !force && (changes.hostname !== undefined || changes.useSsl !== undefined)) {
      await assertReachable(changes.hostname ?? loaded.state.hostname, changes.useSsl ?? loaded.state.useSsl);
    }
    const out = await this.es.handle(registryDecider, stream, command, { loaded });
    return { id, position: out.position };
  }
}

/** RegistryCommandHandlers are registered by the registries module. */
export const RegistryCommandHandlers = [CreateRegistryHandler, UpdateRegistryHandler];
