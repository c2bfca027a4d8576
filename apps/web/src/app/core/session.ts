import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { NewSessionEntity, SessionEntity, UserEntity } from '@portcullis/contracts';

/** CurrentUser is the signed-in user: the API's UserEntity. */
export type CurrentUser = UserEntity;

/**
 * Session holds who is signed in (the HttpOnly cookie is the credential; this is only what the UI shows)
 * and the CSRF token every unsafe request must carry (see csrfInterceptor).
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly http = inject(HttpClient);
  readonly user = signal<CurrentUser | null>(null);
  readonly csrfToken = signal<string | null>(null);
  /** loaded turns true once the first `GET /sessions/current` answered, either way. */
  readonly loaded = signal(false);
  readonly signedIn = computed(() => this.user() !== null);
  readonly isAdmin = computed(() => this.user()?.admin === true);

  /** restore asks the API whether the browser already has a session. */
  async restore(): Promise<CurrentUser | null> {
    try {
      this.accept(await firstValueFrom(this.http.get<SessionEntity>('/api/v1/sessions/current')));
    } catch {
      this.clear();
    }
    this.loaded.set(true);
    return this.user();
  }

  /** signIn posts the login form; the API answers 401 problem+json on bad credentials. */
  async signIn(username: string, password: string): Promise<CurrentUser> {
    const answer = await firstValueFrom(this.http.post<NewSessionEntity>('/api/v1/sessions', { username, password }));
    this.accept(answer);
    return answer.user;
  }

  async signOut(): Promise<void> {
    try {
      await firstValueFrom(this.http.delete('/api/v1/sessions'));
    } finally {
      this.clear();
    }
  }

  /** clear forgets the session locally (after sign-out or a 401 from the API). */
  clear(): void {
    this.user.set(null);
    this.csrfToken.set(null);
  }

  private accept(answer: NewSessionEntity): void {
    this.user.set(answer.user);
    this.csrfToken.set(answer.csrf_token);
  }
}
