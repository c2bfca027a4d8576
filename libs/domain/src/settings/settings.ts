/** PushPolicy is Portus's `user_permission.push_images.policy`. */
export type PushPolicy = 'allow-teams' | 'allow-personal' | 'admin-only';

/**
 * Settings are the Portus `config.yml` keys that govern domain decisions. The api maps
 * configuration (PORTCULLIS_<PATH>) onto this shape and hands it to deciders in commands.
 */
export interface Settings {
  readonly firstUserAdmin: boolean; // first_user_admin.enabled
  readonly signup: boolean; // signup.enabled
  readonly delete: {
    readonly enabled: boolean;
    readonly contributors: boolean;
  }; // delete.*
  readonly userPermission: {
    readonly changeVisibility: boolean; // user_permission.change_visibility.enabled
    readonly createTeam: boolean;
    readonly manageTeam: boolean;
    readonly createNamespace: boolean;
    readonly manageNamespace: boolean;
    readonly createWebhook: boolean;
    readonly manageWebhook: boolean;
    readonly pushImages: PushPolicy; // user_permission.push_images.policy
  };
  /** applicationTokensMax: Portus hard-codes 5 (User::APPLICATION_TOKENS_MAX); ours is configurable. */
  readonly applicationTokensMax: number; // application_tokens.max
  readonly namespace: {
    /** autoCreateOnPush: a push into an unknown namespace creates it (Portus let admins push there unrecorded). */
    readonly autoCreateOnPush: boolean; // namespace.auto_create_on_push.enabled
  };
}

/** defaultSettings are Portus's defaults. */
export const defaultSettings: Settings = {
  firstUserAdmin: true,
  signup: true,
  delete: { enabled: true, contributors: false },
  userPermission: {
    changeVisibility: true,
    createTeam: true,
    manageTeam: true,
    createNamespace: true,
    manageNamespace: true,
    createWebhook: true,
    manageWebhook: true,
    pushImages: 'allow-teams',
  },
  applicationTokensMax: 5,
  namespace: { autoCreateOnPush: false },
};
