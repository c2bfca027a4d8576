import { Component, effect, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { problemMessage } from '../../core/problem';
import { type WebhookInput, WebhooksApi } from './webhooks-api';
import type { WebhookEntity, WebhookEventKind } from '@portcullis/contracts';

/** CONTENT_TYPES are the bodies a webhook can send. */
const CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded'];
const EVENTS: WebhookEventKind[] = ['push', 'delete', 'pull'];

/** WebhookForm creates a webhook, or edits `webhook` when given; it emits the saved webhook. */
@Component({
  selector: 'app-webhook-form',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
  ],
  templateUrl: './webhook-form.html',
  styleUrl: './webhook-form.scss',
})
export class WebhookForm {
  private readonly api = inject(WebhooksApi);
  readonly namespaceId = input.required<number>();
  readonly webhook = input<WebhookEntity | null>(null);
  readonly saved = output<WebhookEntity>();
  protected readonly contentTypes = CONTENT_TYPES;
  protected readonly allEvents = EVENTS;
  protected readonly form = signal<WebhookInput>(this.blank());
  protected readonly password = signal('');
  protected readonly removePassword = signal(false);
  protected readonly saving = signal(false);
  protected readonly failure = signal<string | null>(null);

  constructor() {
    effect(() => {
      const hook = this.webhook();
      this.form.set(
        hook
          ? {
              name: hook.name,
              url: hook.url,
              request_method: hook.request_method,
              content_type: hook.content_type,
              username: hook.username,
              enabled: hook.enabled,
              events: [...hook.events],
            }
          : this.blank(),
      );
      this.password.set('');
      this.removePassword.set(false);
    });
  }

  protected set<K extends keyof WebhookInput>(key: K, value: WebhookInput[K]): void {
    this.form.update((f) => ({ ...f, [key]: value }));
  }

  protected toggleEvent(event: WebhookEventKind, on: boolean): void {
    this.form.update((f) => ({
      ...f,
      events: on ? [...new Set([...f.events, event])] : f.events.filter((e) => e !== event),
    }));
  }

  protected saveWebhook(): void {
    if (this.saving()) return;
    const body: WebhookInput = { ...this.form(), name: this.form().name.trim(), url: this.form().url.trim() };
    if (this.password()) body.password = this.password();
    else if (this.removePassword()) body.password = null;
    const hook = this.webhook();
    this.saving.set(true);
    this.failure.set(null);
    const request = hook
      ? this.api.update(this.namespaceId(), hook.id, body)
      : this.api.create(this.namespaceId(), body);
    request.subscribe({
      next: (saved) => {
        this.saving.set(false);
        this.password.set('');
        this.saved.emit(saved);
      },
      error: (e) => {
        this.saving.set(false);
        this.failure.set(problemMessage(e));
      },
    });
  }

  private blank(): WebhookInput {
    return {
      name: '',
      url: '',
      request_method: 'POST',
      content_type: 'application/json',
      username: '',
      enabled: true,
      events: ['push', 'delete'],
    };
  }
}
