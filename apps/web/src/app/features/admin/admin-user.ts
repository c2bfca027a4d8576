/** AdminUser is the users entity as the admin list shows it. */
export interface AdminUser {
  id: number;
  username: string;
  email: string | null;
  display_name: string | null;
  admin: boolean;
  enabled: boolean;
  bot: boolean;
  locked_at: string | null;
  last_sign_in_at: string | null;
  current_sign_in_at?: string | null;
  created_at: string;
}
