import { Component, inject, signal } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { RouterModule } from '@angular/router';

/** App is the admin UI's shell; the screens arrive with the UI issue. It shows whether the api answers. */
@Component({
  imports: [RouterModule],
  selector: 'app-root',
  templateUrl: './app.html',
  styleUrl: './app.scss',
})
export class App {
  private readonly http = inject(HttpClient);
  protected readonly apiStatus = signal<'checking' | 'up' | 'down'>('checking');

  constructor() {
    this.http.get('/api/v1/_ping', { observe: 'response', responseType: 'text' }).subscribe({
      next: () => this.apiStatus.set('up'),
      error: () => this.apiStatus.set('down'),
    });
  }
}
