import { Component } from '@angular/core';
import { Shell } from './layout/shell';

/** App is the root component: the shell (toolbar, navigation, content) around the routed screens. */
@Component({
  imports: [Shell],
  selector: 'app-root',
  template: '<app-shell />',
})
export class App {}
